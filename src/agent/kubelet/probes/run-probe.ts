// Runs one probe attempt of any kind against a container: exec through the runtime, httpGet or
// tcpSocket against the pod's IP (or the probe's host), each bounded by timeoutSeconds. gRPC
// probes are not supported yet and report a failure saying so.
import type { Runtime } from '../../cri/index.js';
import type { PodContainer } from '../pod-config.js';

export type Probe = NonNullable<PodContainer['livenessProbe']>;
import { execAction, httpGetAction, resolvePort, tcpAction, type ActionResult } from './actions.js';

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
    if (p.grpc) return { result: 'failure', output: 'gRPC probes are not supported by this kubelet' };
    return { result: 'failure', output: 'missing probe handler' };
  } catch (err) {
    return { result: 'failure', output: err instanceof Error ? err.message : String(err) };
  }
}
