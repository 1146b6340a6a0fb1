// core/v1 probe and lifecycle-hook schemas: how the kubelet checks a container's health
// (exec, HTTP GET, TCP connect, gRPC health) and what it runs after start and before stop.
// Probes and hooks share the handler shapes, so they live together.
import { obj, str, int32, int64, intOrString, enumStr, list, strList, type Static } from '../../schema.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const ExecAction = obj(
  'Runs a command inside the container; exit status 0 means success.',
  { command: strList('Command and arguments, run directly (not through a shell).', { listType: 'atomic' }) },
  { id: id('ExecAction') },
);

export const HTTPHeader = obj(
  'One HTTP header sent with a probe request.',
  {
    name: str('Header name.'),
    value: str('Header value.'),
  },
  { id: id('HTTPHeader'), required: ['name', 'value'] },
);

export const HTTPGetAction = obj(
  'An HTTP GET against the pod; a 2xx or 3xx answer means success.',
  {
    path: str('Request path; defaults to "/".'),
    port: intOrString('Port number or the name of a container port.'),
    host: str('Host to connect to; defaults to the pod IP.'),
    scheme: enumStr('HTTP or HTTPS; defaults to HTTP.', ['HTTP', 'HTTPS']),
    httpHeaders: list('Extra request headers.', HTTPHeader, { listType: 'atomic' }),
  },
  { id: id('HTTPGetAction'), required: ['port'] },
);

export const TCPSocketAction = obj(
  'Opens a TCP connection; connecting means success.',
  {
    port: intOrString('Port number or the name of a container port.'),
    host: str('Host to connect to; defaults to the pod IP.'),
  },
  { id: id('TCPSocketAction'), required: ['port'] },
);

export const GRPCAction = obj(
  'Calls the standard gRPC health-checking service.',
  {
    port: int32('Port of the gRPC server (1-65535).'),
    service: str('Service name put in the health-check request; empty means the server as a whole.'),
  },
  { id: id('GRPCAction'), required: ['port'] },
);

export const SleepAction = obj(
  'Waits for a number of seconds (lifecycle hooks only).',
  { seconds: int64('Seconds to sleep.') },
  { id: id('SleepAction'), required: ['seconds'] },
);

export const Probe = obj(
  'A periodic health check of a container; exactly one handler must be set.',
  {
    exec: ExecAction,
    httpGet: HTTPGetAction,
    tcpSocket: TCPSocketAction,
    grpc: GRPCAction,
    initialDelaySeconds: int32('Seconds after start before the first probe.'),
    timeoutSeconds: int32('Seconds before a probe attempt times out; defaults to 1.'),
    periodSeconds: int32('Seconds between probes; defaults to 10.'),
    successThreshold: int32('Consecutive successes to count as passing after a failure; defaults to 1 (must be 1 for liveness and startup).'),
    failureThreshold: int32('Consecutive failures to count as failed; defaults to 3.'),
    terminationGracePeriodSeconds: int64('Grace period used when this probe kills the container; overrides the pod value.'),
  },
  { id: id('Probe') },
);
export type Probe = Static<typeof Probe>;

export const LifecycleHandler = obj(
  'What a lifecycle hook does; exactly one handler must be set.',
  {
    exec: ExecAction,
    httpGet: HTTPGetAction,
    tcpSocket: TCPSocketAction,
    sleep: SleepAction,
  },
  { id: id('LifecycleHandler') },
);
export type LifecycleHandler = Static<typeof LifecycleHandler>;

export const Lifecycle = obj(
  'Hooks the kubelet runs around a container\'s start and stop.',
  {
    postStart: LifecycleHandler,
    preStop: LifecycleHandler,
  },
  { id: id('Lifecycle') },
);
export type Lifecycle = Static<typeof Lifecycle>;
