// One gRPC channel to a containerd socket and promise-shaped calls on it. Methods are looked up by
// name in the parsed CRI services (proto/load.ts), so callers write `call('RunPodSandbox', req)`;
// the request and response shapes are the snake_case wire messages of wire.ts. Every unary call
// carries a deadline, because a wedged containerd must not hang a pod worker forever.
import * as grpc from '@grpc/grpc-js';
import { criServices, type ServiceClientConstructor } from './proto/load.js';

/** Deadline for ordinary CRI calls; the kubelet's --runtime-request-timeout default is 2 min. */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

export interface CallOptions {
  /** 0 means no deadline (image pulls). */
  timeoutMs?: number;
}

export type GrpcStatusError = Error & { code: grpc.status; details: string };

export function isGrpcError(err: unknown): err is GrpcStatusError {
  return err instanceof Error && typeof (err as Partial<GrpcStatusError>).code === 'number';
}

export const grpcStatus = grpc.status;

interface Method {
  path: string;
  serialize: (v: unknown) => Buffer;
  deserialize: (b: Buffer) => unknown;
}

function methodsOf(ctor: ServiceClientConstructor): Map<string, Method> {
  const out = new Map<string, Method>();
  for (const [name, def] of Object.entries(ctor.service)) {
    out.set(name, { path: def.path, serialize: def.requestSerialize as Method['serialize'], deserialize: def.responseDeserialize as Method['deserialize'] });
  }
  return out;
}

export class CriConnection {
  private readonly client: grpc.Client;
  private readonly methods: Map<string, Method>;

  /** `endpoint` is `unix:///abs/path.sock` (grpc-js accepts the unix scheme as is). */
  constructor(readonly endpoint: string) {
    const s = criServices();
    this.methods = new Map([...methodsOf(s.RuntimeService), ...methodsOf(s.ImageService)]);
    this.client = new grpc.Client(endpoint, grpc.credentials.createInsecure(), {
      // ExecSync output and big image lists exceed gRPC's 4 MiB default; containerd sends up to 16 MiB.
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      'grpc.max_send_message_length': 16 * 1024 * 1024,
      // Reconnect quickly after containerd restarts instead of backing off for seconds.
      'grpc.initial_reconnect_backoff_ms': 50,
      'grpc.max_reconnect_backoff_ms': 1000,
    });
  }

  private method(name: string): Method {
    const m = this.methods.get(name);
    if (!m) throw new Error(`CRI method ${name} is not in the proto`);
    return m;
  }

  call<Res>(name: string, req: object, opts: CallOptions = {}): Promise<Res> {
    const m = this.method(name);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const callOpts: grpc.CallOptions = timeoutMs > 0 ? { deadline: Date.now() + timeoutMs } : {};
    return new Promise<Res>((resolve, reject) => {
      this.client.makeUnaryRequest(m.path, m.serialize, m.deserialize, req, new grpc.Metadata(), callOpts, (err, res) => {
        if (err) reject(err);
        else resolve(res as Res);
      });
    });
  }

  close(): void {
    this.client.close();
  }
}
