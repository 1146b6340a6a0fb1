// The Kubernetes remote-command WebSocket protocol as the browser speaks it: each binary message
// starts with a channel byte — 0 stdin, 1 stdout, 2 stderr, 3 the final Status (error channel),
// 4 terminal resize — and v5.channel.k8s.io adds 255 to close a channel (we close stdin). The
// bearer token travels as a sub-protocol, since a browser WebSocket cannot send headers.

export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export const BEARER_PREFIX = 'base64url.bearer.authorization.k8s.io.';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE = 255;

/** Unpadded base64url of the token's UTF-8, as the sub-protocol requires. */
export function bearerProtocol(token: string): string {
  const bytes = new TextEncoder().encode(token);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return BEARER_PREFIX + btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface ExecTarget {
  ns: string;
  pod: string;
  container: string;
  command: string[];
  tty: boolean;
}

/** The exec URL on the page's own origin (wss: for https:). */
export function execUrl(origin: { protocol: string; host: string }, t: ExecTarget): string {
  const q = new URLSearchParams();
  if (t.container) q.set('container', t.container);
  for (const c of t.command) q.append('command', c);
  q.set('stdin', 'true');
  q.set('stdout', 'true');
  q.set('stderr', String(!t.tty));
  q.set('tty', String(t.tty));
  const scheme = origin.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${origin.host}/api/v1/namespaces/${encodeURIComponent(t.ns)}/pods/${encodeURIComponent(t.pod)}/exec?${q}`;
}

/** Splits a command line on whitespace, keeping single- or double-quoted parts together. */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

export function frame(channel: number, data: Uint8Array | string): Uint8Array<ArrayBuffer> {
  const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const out = new Uint8Array(body.length + 1);
  out[0] = channel;
  out.set(body, 1);
  return out;
}

export const resizeFrame = (cols: number, rows: number): Uint8Array<ArrayBuffer> => frame(RESIZE, JSON.stringify({ Width: cols, Height: rows }));
export const closeStdinFrame = (): Uint8Array<ArrayBuffer> => Uint8Array.of(CLOSE, STDIN);

/** How the remote command ended, from the Status on the error channel. */
export function outcomeOf(statusJson: string): { exitCode: number; message?: string } {
  try {
    const s = JSON.parse(statusJson) as { status?: string; message?: string; reason?: string; details?: { causes?: { reason?: string; message?: string }[] } };
    if (s.status === 'Success') return { exitCode: 0 };
    const code = s.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
    if (s.reason === 'NonZeroExitCode' && code !== undefined) return { exitCode: Number(code) };
    return { exitCode: code === undefined ? -1 : Number(code), ...(s.message ? { message: s.message } : {}) };
  } catch {
    return { exitCode: -1, message: statusJson };
  }
}
