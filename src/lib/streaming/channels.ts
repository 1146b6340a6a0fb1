// The channel.k8s.io WebSocket framing Kubernetes uses for exec, attach and (older clients')
// port-forward: every message belongs to a numbered channel given by its first byte (stdin 0,
// stdout 1, stderr 2, error 3, resize 4 for remote commands). The base64 variants send text
// messages whose first character is the channel digit and whose rest is base64. Version 5 adds
// one control message, [255, n], meaning "channel n is closed" — how a client says its stdin
// ended without closing the whole socket.

export const Channel = { STDIN: 0, STDOUT: 1, STDERR: 2, ERROR: 3, RESIZE: 4, CLOSE: 255 } as const;

export interface ChannelFraming {
  /** The sub-protocol name as negotiated. */
  name: string;
  base64: boolean;
  /** v5 and later understand the [255, n] close message. */
  closeSignal: boolean;
  /** v4 and later report the outcome on the error channel as a metav1.Status JSON. */
  statusJson: boolean;
}

export interface ChannelMessage {
  channel: number;
  data: Buffer;
}

/** Encodes one message as the framing sends it: a Buffer (binary) or a string (base64 text). */
export function encodeChannelMessage(f: ChannelFraming, channel: number, data: Buffer): Buffer | string {
  if (f.base64) return String.fromCharCode(48 + channel) + data.toString('base64');
  const out = Buffer.allocUnsafe(data.length + 1);
  out[0] = channel;
  data.copy(out, 1);
  return out;
}

/** Decodes a received message; undefined for an empty one. */
export function decodeChannelMessage(f: ChannelFraming, msg: Buffer, isBinary: boolean): ChannelMessage | undefined {
  if (msg.length === 0) return undefined;
  if (f.base64 && !isBinary) {
    const text = msg.toString('latin1');
    return { channel: text.charCodeAt(0) - 48, data: Buffer.from(text.slice(1), 'base64') };
  }
  return { channel: msg[0] ?? 0, data: msg.subarray(1) };
}

/** The [255, channel] message that closes one channel (v5). */
export const closeChannelMessage = (f: ChannelFraming, channel: number): Buffer | string =>
  f.base64 ? String.fromCharCode(48 + Channel.CLOSE) + Buffer.from([channel]).toString('base64') : Buffer.from([Channel.CLOSE, channel]);

export function framing(name: string): ChannelFraming {
  const m = /^(?:v(\d+)\.)?(base64\.)?channel\.k8s\.io$/.exec(name);
  const version = m?.[1] ? Number(m[1]) : 1;
  return { name, base64: Boolean(m?.[2]), closeSignal: version >= 5, statusJson: version >= 4 };
}

/** Picks the first protocol in the client's order that the server supports. */
export function negotiate(offered: readonly string[], supported: readonly string[]): string | undefined {
  return offered.find((p) => supported.includes(p));
}

/** Splits a comma-separated or repeated header (Sec-WebSocket-Protocol, X-Stream-Protocol-Version). */
export function headerList(value: string | string[] | undefined): string[] {
  const all = Array.isArray(value) ? value : value ? [value] : [];
  return all.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}
