// A pod's logs: container picker, follow / previous, tail and since, timestamps, search with
// highlighting (or only the matching lines), and auto-scroll that holds the view at the end
// until the user scrolls up to read.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KubeObject } from '../../api/objects.ts';
import { PODS } from '../../api/paths.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { useLiveObject } from '../detail/use-live-object.ts';
import type { LogOptions } from './log-query.ts';
import { countMatches, matches, searchPattern, segments } from './log-search.ts';
import { MAX_LINES, useLogStream } from './use-log-stream.ts';
import './logs.css';

/** Lines drawn at once; older ones stay searchable in the buffer. */
const SHOWN = 5_000;

const SINCE: [string, number][] = [
  ['all time', 0],
  ['last 1 min', 60],
  ['last 5 min', 300],
  ['last 1 hour', 3600],
  ['last 24 hours', 86400],
];

interface PodSpec {
  containers?: { name: string }[];
  initContainers?: { name: string }[];
  ephemeralContainers?: { name: string }[];
}

function containerNames(pod: KubeObject | null): { names: string[]; initial: string } {
  const spec = (pod?.spec ?? {}) as PodSpec;
  const names = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
  const preferred = pod?.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  return { names, initial: preferred && names.includes(preferred) ? preferred : (names[0] ?? '') };
}

export function PodLogs({ ns, name }: { ns: string; name: string }) {
  const pod = useLiveObject(PODS, ns, name);
  const { names, initial } = containerNames(pod.obj);
  const [picked, setPicked] = useState('');
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [tail, setTail] = useState(1000);
  const [since, setSince] = useState(0);
  const [showTs, setShowTs] = useState(false);
  const [query, setQuery] = useState('');
  const [onlyMatching, setOnlyMatching] = useState(false);
  const [stick, setStick] = useState(true);
  const container = picked && names.includes(picked) ? picked : initial;
  const opts: LogOptions | null = pod.obj && container ? { container, follow, previous, tailLines: tail, sinceSeconds: since } : null;
  const stream = useLogStream(ns, name, opts);
  const pattern = searchPattern(query);
  const regex = pattern instanceof RegExp ? pattern : undefined;

  const lines = stream.buffer.lines;
  const visible = useMemo(() => {
    const kept = onlyMatching && regex ? lines.filter((l) => matches(l, regex)) : lines;
    return kept.length > SHOWN ? kept.slice(-SHOWN) : kept;
  }, [lines, stream.version, onlyMatching, query]);
  const hits = useMemo(() => countMatches(lines, regex), [lines, stream.version, query]);

  const box = useRef<HTMLPreElement>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick) el.scrollTop = el.scrollHeight;
  });
  const onScroll = (): void => {
    const el = box.current;
    if (el) setStick(el.scrollTop + el.clientHeight >= el.scrollHeight - 24);
  };

  if (pod.error) return <ErrorBanner error={pod.error} />;
  return (
    <div className="pod-logs" data-testid="pod-logs">
      <div className="filters">
        <label className="check">
          Container
          <select value={container} onChange={(e) => setPicked(e.target.value)} data-testid="log-container">
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={follow} disabled={previous} onChange={(e) => setFollow(e.target.checked)} data-testid="log-follow" /> Follow
        </label>
        <label className="check" title="The logs of the container's previous run, after a restart">
          <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} data-testid="log-previous" /> Previous
        </label>
        <label className="check">
          Tail
          <input type="number" min={0} step={100} value={tail} onChange={(e) => setTail(Math.max(0, Number(e.target.value) || 0))} style={{ width: 80 }} data-testid="log-tail" />
        </label>
        <label className="check">
          Since
          <select value={since} onChange={(e) => setSince(Number(e.target.value))} data-testid="log-since">
            {SINCE.map(([label, s]) => (
              <option key={s} value={s}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={showTs} onChange={(e) => setShowTs(e.target.checked)} data-testid="log-timestamps" /> Timestamps
        </label>
      </div>
      <div className="filters">
        <input placeholder="Search (text or /regex/)" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="log-search" />
        <label className="check">
          <input type="checkbox" checked={onlyMatching} onChange={(e) => setOnlyMatching(e.target.checked)} data-testid="log-only-matching" /> Only matching lines
        </label>
        {regex ? <span className="muted" data-testid="log-matches">{hits} matching line{hits === 1 ? '' : 's'}</span> : null}
        {pattern instanceof Error ? <span className="bad">{pattern.message}</span> : null}
        <span className="spacer" />
        <label className="check">
          <input type="checkbox" checked={stick} onChange={(e) => setStick(e.target.checked)} data-testid="log-autoscroll" /> Auto-scroll
        </label>
        <span className={`log-state log-${stream.state}`} data-testid="log-status">
          {stream.state}
        </span>
      </div>
      {stream.notice ? (
        <div className="banner warn" data-testid="log-notice">
          {stream.notice}
        </div>
      ) : null}
      <ErrorBanner error={stream.error} />
      {stream.buffer.dropped > 0 || lines.length > visible.length ? (
        <p className="small muted">
          Showing the newest {visible.length} lines{stream.buffer.dropped > 0 ? `; ${stream.buffer.dropped} older lines were let go (the viewer keeps ${MAX_LINES})` : ''}.
        </p>
      ) : null}
      <pre className="logs" ref={box} onScroll={onScroll} data-testid="log-output">
        {visible.map((l) => (
          <div key={l.n}>
            {showTs && l.ts ? <span className="ts">{l.ts} </span> : null}
            {segments(l.text, regex).map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : s.text))}
          </div>
        ))}
        {visible.length === 0 && stream.state !== 'connecting' ? <span className="muted">No log lines{regex && onlyMatching ? ' match' : ''}.</span> : null}
      </pre>
    </div>
  );
}
