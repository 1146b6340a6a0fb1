// Draws a flow timeline: each step with its clock time and offset from the first step, a dot in
// the colour of the component that acted, what happened, and where the fact was read. Steps that
// appear while the page is open flash briefly, so a learner sees the control plane move.
import { useEffect, useRef, type ReactNode } from 'react';
import type { Actor, FlowStep } from './steps.ts';
import './flow.css';

export const ACTOR_LABEL: Record<Actor, string> = {
  you: 'you (kubectl, dashboard)',
  'api-server': 'API server',
  'deployment-controller': 'deployment controller',
  'replicaset-controller': 'replicaset controller',
  scheduler: 'scheduler',
  kubelet: 'kubelet',
  'endpointslice-controller': 'endpointslice controller',
  other: 'other',
};

const SOURCE_NOTE: Partial<Record<FlowStep['source'], string>> = {
  observed: 'time observed',
  trigger: 'trigger time',
  none: 'no time recorded',
};

const clock = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour12: false });
};

function offset(iso: string | undefined, origin: number): string {
  if (!iso || Number.isNaN(origin)) return '';
  const ms = Date.parse(iso) - origin;
  if (Number.isNaN(ms)) return '';
  const s = Math.round(ms / 1000);
  if (s < 120) return `+${s}s`;
  const m = Math.floor(s / 60);
  return m < 120 ? `+${m}m${s % 60 ? `${s % 60}s` : ''}` : `+${Math.floor(m / 60)}h${m % 60}m`;
}

export function ActorLegend({ actors }: { actors: readonly Actor[] }) {
  return (
    <div className="flow-legend" data-testid="flow-legend">
      {actors.map((a) => (
        <span key={a} className={`actor-${a}`}>
          <i className="actor-dot" /> {ACTOR_LABEL[a]}
        </span>
      ))}
    </div>
  );
}

export function Timeline({ steps, extra }: { steps: readonly FlowStep[]; extra?: (s: FlowStep) => ReactNode }) {
  const seen = useRef<Set<string> | null>(null);
  const first = seen.current === null;
  const fresh = new Set(first ? [] : steps.filter((s) => !seen.current?.has(s.id)).map((s) => s.id));
  useEffect(() => {
    seen.current = new Set(steps.map((s) => s.id));
  }, [steps]);
  const origin = Date.parse(steps.find((s) => s.at)?.at ?? '');
  return (
    <ol className="flow" data-testid="flow-timeline">
      {steps.map((s) => (
        <li key={s.id} className={`actor-${s.actor}${s.warning ? ' warning' : ''}${fresh.has(s.id) ? ' fresh' : ''}`} data-testid="flow-step" data-stage={s.stage} data-actor={s.actor}>
          <div className="when">
            {s.at ? (
              <>
                <b>{offset(s.at, origin)}</b>
                {clock(s.at)}
              </>
            ) : (
              '—'
            )}
          </div>
          <div className="dot">
            <i className="actor-dot" title={ACTOR_LABEL[s.actor]} />
          </div>
          <div className="what">
            <span className="title">{s.title}</span>
            <span className="who">{ACTOR_LABEL[s.actor]}</span>
            {s.repeated ? <span className="who">×{s.repeated.count}{s.repeated.last ? `, last at ${clock(s.repeated.last)}` : ''}</span> : null}
            {SOURCE_NOTE[s.source] ? <span className="timesource">{SOURCE_NOTE[s.source]}</span> : null}
            {s.detail ? <div className="detail">{s.detail}</div> : null}
            {extra?.(s)}
            <div className="evidence">from {s.evidence}</div>
          </div>
        </li>
      ))}
    </ol>
  );
}
