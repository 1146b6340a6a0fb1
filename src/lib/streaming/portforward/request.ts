// One forwarded connection as a port-forward server sees it, whatever carried it: the pod port
// the client wants, a duplex byte stream to splice onto a connection to that port, and a way to
// report a failure (written on the error stream, which kubectl prints). Handlers call `done`
// when the pod side has closed.
import type { Duplex } from 'node:stream';

export interface ForwardRequest {
  readonly port: number;
  readonly data: Duplex;
  /** Reports why the port could not be reached, then closes this forward. */
  fail(message: string): void;
  /** Ends this forward after the pod side closed. */
  done(): void;
}

export type ForwardHandler = (req: ForwardRequest) => void;

/** Parses the `ports` query (repeated or comma-separated) of a WebSocket port-forward. */
export function portsFromQuery(q: URLSearchParams): number[] {
  const out: number[] = [];
  for (const v of q.getAll('ports')) {
    for (const p of v.split(',')) {
      const n = Number(p.trim());
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port ${JSON.stringify(p)}`);
      out.push(n);
    }
  }
  return out;
}
