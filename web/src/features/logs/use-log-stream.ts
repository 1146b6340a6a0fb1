// Streams one container's log into a LogBuffer: GET pods/log (follow when asked), and when a
// followed stream ends or the connection drops, says so and resumes from the last timestamp it
// saw, with backoff, until the page leaves. Errors the server means (a 400 for a missing previous
// container, 404, 403) stop the stream and are shown as they are.
import { useEffect, useRef, useState } from 'react';
import { ApiError, describeError, type ApiClient } from '../../api/client.ts';
import { useApi } from '../../api/context.tsx';
import { LogBuffer } from './log-buffer.ts';
import { logPath, type LogOptions } from './log-query.ts';

export const MAX_LINES = 10_000;

export interface LogStream {
  buffer: LogBuffer;
  /** Bumped (at most once a frame) when lines arrive. */
  version: number;
  state: 'connecting' | 'streaming' | 'ended' | 'reconnecting' | 'failed';
  notice?: string;
  error?: unknown;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

async function pump(api: ApiClient, ns: string, name: string, o: LogOptions, buf: LogBuffer, signal: AbortSignal, set: (s: Partial<LogStream>) => void, bump: () => void): Promise<void> {
  let resume: string | undefined;
  let backoff = 500;
  const following = o.follow && !o.previous;
  while (!signal.aborted) {
    try {
      let first = true;
      await api.text(
        logPath(ns, name, o, resume),
        (chunk) => {
          if (first) {
            first = false;
            set({ state: 'streaming', notice: resume ? 'Reconnected; following again.' : undefined, error: undefined });
          }
          if (buf.push(chunk)) bump();
        },
        signal,
      );
      if (buf.end()) bump();
      if (!following) return set({ state: 'ended', notice: undefined });
      set({ state: 'reconnecting', notice: 'The log stream ended (the container may have stopped or restarted); following again…' });
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiError && err.status !== 0 && err.status < 500) return set({ state: 'failed', error: err, notice: undefined });
      if (!following) return set({ state: 'failed', error: err, notice: undefined });
      set({ state: 'reconnecting', notice: `${describeError(err)} — reconnecting…` });
    }
    await sleep(backoff, signal);
    backoff = Math.min(backoff * 2, 10_000);
    resume = buf.lastTs;
    buf.resume();
  }
}

export function useLogStream(ns: string, name: string, opts: LogOptions | null): LogStream {
  const api = useApi();
  const [stream, setStream] = useState<LogStream>(() => ({ buffer: new LogBuffer(MAX_LINES, true), version: 0, state: 'connecting' }));
  const frame = useRef(0);
  const key = opts ? JSON.stringify(opts) : '';
  useEffect(() => {
    if (!opts) return;
    const buffer = new LogBuffer(MAX_LINES, true);
    const ctl = new AbortController();
    setStream({ buffer, version: 0, state: 'connecting' });
    const set = (s: Partial<LogStream>): void => {
      if (!ctl.signal.aborted) setStream((prev) => (prev.buffer === buffer ? { ...prev, ...s } : prev));
    };
    const bump = (): void => {
      if (frame.current) return;
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        set({ version: buffer.lines.length + buffer.dropped });
      });
    };
    pump(api, ns, name, opts, buffer, ctl.signal, set, bump).catch((error: unknown) => set({ state: 'failed', error }));
    return () => {
      ctl.abort();
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
    // `key` stands for opts' contents.
  }, [api, ns, name, key]);
  return stream;
}
