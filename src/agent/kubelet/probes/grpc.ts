// gRPC probes: one call to the standard health service (grpc.health.v1.Health/Check) on the pod,
// without TLS, as Kubernetes makes it; SERVING succeeds, any other answer or error fails. The two
// tiny messages are encoded by hand (a string field 1 out, an enum field 1 back) rather than
// loading a .proto for them.
import { credentials, Client, Metadata, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import type { ActionResult } from './actions.js';

const CHECK = '/grpc.health.v1.Health/Check';
const STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/**
 * HealthCheckRequest { string service = 1; }. The field is written even when empty: grpc-js does
 * not send a zero-length message, and parsers read an explicit empty string as the default.
 */
export function encodeCheckRequest(service: string): Buffer {
  const s = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a]), varint(s.length), s]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/** HealthCheckResponse { ServingStatus status = 1; }: the status number (0 when absent). */
export function decodeCheckResponse(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const key = b[i++] ?? 0;
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = b[i++] ?? 0;
      value |= (byte & 0x7f) << shift;
      shift += 7;
      if (!(byte & 0x80) || i >= b.length) break;
    }
    if (key === 0x08) return value;
  }
  return 0;
}

export function grpcAction(o: { host: string; port: number; service: string; timeoutMs: number }): Promise<ActionResult> {
  const target = o.host.includes(':') ? `[${o.host}]:${o.port}` : `${o.host}:${o.port}`;
  const client = new Client(target, credentials.createInsecure());
  return new Promise((resolve) => {
    const deadline = new Date(Date.now() + o.timeoutMs);
    client.makeUnaryRequest(
      CHECK,
      (req: string) => encodeCheckRequest(req),
      (res: Buffer) => decodeCheckResponse(res),
      o.service,
      new Metadata(),
      { deadline },
      (err: ServiceError | null, value?: number) => {
        client.close();
        if (err) {
          if (err.code === grpcStatus.UNIMPLEMENTED) resolve({ result: 'failure', output: `this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}` });
          else if (err.code === grpcStatus.DEADLINE_EXCEEDED) resolve({ result: 'failure', output: `timeout: health rpc did not complete within ${o.timeoutMs / 1000}s` });
          else resolve({ result: 'failure', output: `error: health rpc probe failed: ${err.details || err.message}` });
          return;
        }
        const st = value ?? 0;
        resolve(st === 1 ? { result: 'success', output: '' } : { result: 'failure', output: `service unhealthy (responded with "${STATUS[st] ?? String(st)}")` });
      },
    );
  });
}
