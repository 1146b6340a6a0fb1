// Runs one probe attempt of any kind against a container: exec through the runtime, httpGet,
// tcpSocket or grpc against the pod's IP (or the probe's host), each bounded by timeoutSeconds.
import type { Runtime } from '../../cri/index.js';
import type { PodContainer } from '../pod-config.js';

export type Probe = NonNullable<PodContainer['livenessProbe']>;
import { execAction, httpGetAction, resolvePort, tcpAction, type ActionResult } from './actions.js';
import { grpcAction } from './grpc.js';

export async function runProbe(o: { probe: Probe; container: PodContainer; containerId: string; podIP: string; runtime: Runtime }): Promise<ActionResult> {
  const p = o.probe;
  const timeoutSeconds = p.timeoutSeconds ?? 1;
  const timeoutMs = timeoutSeconds * 1000;
  try {
    if (p.exec) return await execAction({ runtime: o.runtime, containerId: o.containerId, command: p.exec.command ?? [], timeoutSeconds });
    if (p.httpGet) {
      const port = resolvePort(p.httpGet.port, o.container);
      return await httpGetAction({ spec: { ...p.httpGet, port }, defaultHost: o.podIP, timeoutMs });
    }
    if (p.tcpSocket) return await tcpAction({ host: p.tcpSocket.host || o.podIP, port: resolvePort(p.tcpSocket.port, o.container), timeoutMs });
    if (p.grpc) return await grpcAction({ host: o.podIP, port: p.grpc.port, service: p.grpc.service ?? '', timeoutMs });
    return { result: 'failure', output: 'missing probe handler' };
  } catch (err) {
    return { result: 'failure', output: err instanceof Error ? err.message : String(err) };
  }
}
