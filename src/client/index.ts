// Public face of the client package: the Client interface and its HTTPS implementation,
// kubeconfig loading, informers, the event recorder and leader election.
export type { Client, ListOptions, WatchOptions, WatchEvent, WatchEventType, ObjectList, WriteOptions, PatchType, DeleteOptions } from './client.js';
export { HttpClient, resourcePath } from './http/http-client.js';
export type { TransportConfig } from './http/transport.js';
export { loadKubeconfig } from './kubeconfig.js';
export { Informer, type InformerHandlers, type InformerOptions } from './informer/informer.js';
export { InformerFactory } from './informer/factory.js';
export { ObjectCache, objectKeyOf, keyFor, splitKey, type IndexFn } from './informer/object-cache.js';
export { ApiEventRecorder, type EventRecorder, type EventType } from './events.js';
export { LeaderElector, type LeaderElectionOptions } from './leader-election.js';
