// The dashboard's only door to the cluster: fetch calls to the Kubernetes API on the same origin,
// carrying the signed-in bearer token. Failures become ApiError, built from the Kubernetes Status
// the server returned (reason, message, field causes) so pages can show them where they belong;
// a request that never reached the server becomes an ApiError with status 0 ("connection lost").
// watch() and text() stream: newline-delimited JSON watch events and raw text (logs).

export interface StatusCause {
  field?: string;
  message: string;
  reason?: string;
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: StatusCause[] };
}

export class ApiError extends Error {
  readonly status: number;
  readonly reason?: string;
  readonly causes: StatusCause[];

  constructor(status: number, message: string, opts: { reason?: string; causes?: StatusCause[]; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ApiError';
    this.status = status;
    if (opts.reason !== undefined) this.reason = opts.reason;
    this.causes = opts.causes ?? [];
  }

  /** An error from a Kubernetes Status object (a response body or a watch ERROR event). */
  static fromStatus(httpStatus: number, body: unknown): ApiError {
    const s = (typeof body === 'object' && body !== null ? body : {}) as StatusBody;
    const code = typeof s.code === 'number' && s.code > 0 ? s.code : httpStatus;
    const message = s.message || `the server answered ${httpStatus}`;
    return new ApiError(code, message, { ...(s.reason ? { reason: s.reason } : {}), causes: s.details?.causes ?? [] });
  }
}

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

export interface ApiClientOptions {
  /** Called whenever the server rejects the token (401), e.g. to return to the sign-in page. */
  onUnauthorized?: (err: ApiError) => void;
  /** Origin + prefix for API paths; '' means same origin (the dashboard's normal case). */
  baseUrl?: string;
}

/** Appends `key=value` to a path that may already have a query string. */
export function withParam(path: string, key: string, value: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
}

export class ApiClient {
  readonly token: string;
  readonly #opts: ApiClientOptions;

  constructor(token: string, opts: ApiClientOptions = {}) {
    this.token = token;
    this.#opts = opts;
  }

  get<T>(path: string, signal?: AbortSignal, accept = 'application/json'): Promise<T> {
    return this.#json<T>('GET', path, { accept, ...(signal ? { signal } : {}) });
  }

  request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    return this.#json<T>(method, path, { accept: 'application/json', ...(body === undefined ? {} : { body, contentType }) });
  }

  /** Streams watch events until the server ends the stream (resolves) or it fails (rejects). */
  async watch<T>(path: string, onEvent: (type: string, obj: T) => void, signal: AbortSignal, accept = 'application/json'): Promise<void> {
    const res = await this.#fetch('GET', withParam(path, 'watch', '1'), { accept, signal });
    let pending = '';
    await readStream(res, signal, (chunk) => {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) {
          const ev = JSON.parse(line) as { type: string; object: T };
          onEvent(ev.type, ev.object);
        }
        nl = pending.indexOf('\n');
      }
    });
  }

  /** Streams a text response (logs) chunk by chunk until it ends or the signal aborts. */
  async text(path: string, onChunk: (s: string) => void, signal: AbortSignal): Promise<void> {
    const res = await this.#fetch('GET', path, { accept: 'text/plain, */*', signal });
    await readStream(res, signal, onChunk);
  }

  async #json<T>(method: string, path: string, o: { accept: string; signal?: AbortSignal; body?: unknown; contentType?: string }): Promise<T> {
    const res = await this.#fetch(method, path, o);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async #fetch(method: string, path: string, o: { accept: string; signal?: AbortSignal; body?: unknown; contentType?: string }): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: o.accept };
    let body: string | undefined;
    if (o.body !== undefined) {
      headers['Content-Type'] = o.contentType ?? 'application/json';
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    }
    let res: Response;
    try {
      res = await fetch(`${this.#opts.baseUrl ?? ''}${path}`, { method, headers, ...(body === undefined ? {} : { body }), ...(o.signal ? { signal: o.signal } : {}) });
    } catch (err) {
      if (o.signal?.aborted) throw err;
      throw new ApiError(0, 'Lost the connection to the API server', { reason: 'ConnectionLost', cause: err });
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text.trim() || res.statusText };
    }
    const err = ApiError.fromStatus(res.status, parsed);
    if (res.status === 401) this.#opts.onUnauthorized?.(err);
    throw err;
  }
}

async function readStream(res: Response, signal: AbortSignal, onChunk: (s: string) => void): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', cancel);
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (err) {
        if (signal.aborted) return;
        throw new ApiError(0, 'Lost the connection to the API server', { reason: 'ConnectionLost', cause: err });
      }
      if (r.done) break;
      const s = decoder.decode(r.value, { stream: true });
      if (s) onChunk(s);
    }
    const rest = decoder.decode();
    if (rest) onChunk(rest);
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** Human-readable text for any error a page caught. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return err.message;
    if (err.status === 401) return `Unauthorized (401): the token was not accepted. ${err.message === 'Unauthorized' ? '' : err.message}`.trim();
    if (err.status === 403) return `Forbidden (403): ${err.message}`;
    return `${err.reason ?? 'Error'} (${err.status}): ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
