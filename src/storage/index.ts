// The storage package's public face: the Backend contract and its errors, `openBackend` to get
// a driver from a data-source name, and `guaranteedUpdate` for read-modify-write. Other folders
// import storage only from here (and only the apiserver and entrypoints import it at all).
export type {
  Backend,
  KeyValue,
  ListOptions,
  ListResult,
  WatchEvent,
  WatchOptions,
} from './backend.js';
export {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
} from './errors.js';
export { openBackend } from './open-backend.js';
export type { DriverName, OpenBackendOptions } from './open-backend.js';
export { guaranteedUpdate } from './guaranteed-update.js';
export type { UpdateFn } from './guaranteed-update.js';
