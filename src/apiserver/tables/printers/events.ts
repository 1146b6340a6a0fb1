// The events table: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (and SUBOBJECT, SOURCE, FIRST SEEN,
// COUNT, NAME with -o wide). Events come in two shapes, core/v1 and events.k8s.io/v1 (which
// renames most fields); both are read into one shape first so they print identically.
import type { ApiObject } from '../../../api/kind.js';
import { since } from '../duration.js';
import { NAME, column, nameOf, view, wide, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';

interface EventSeries {
  count?: number;
  lastObservedTime?: string;
}

interface ObjectRef {
  kind?: string;
  name?: string;
  fieldPath?: string;
}

interface CoreEvent extends WithMeta {
  involvedObject?: ObjectRef;
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count?: number;
  series?: EventSeries;
  reportingController?: string;
  reportingInstance?: string;
}

interface EventsV1Event extends WithMeta {
  regarding?: ObjectRef;
  note?: string;
  reason?: string;
  type?: string;
  deprecatedSource?: { component?: string; host?: string };
  deprecatedFirstTimestamp?: string;
  deprecatedLastTimestamp?: string;
  deprecatedCount?: number;
  eventTime?: string;
  series?: EventSeries;
  reportingController?: string;
  reportingInstance?: string;
}

function asCoreEvent(obj: ApiObject): CoreEvent {
  if (!obj.apiVersion?.startsWith('events.k8s.io/')) return view<CoreEvent>(obj);
  const e = view<EventsV1Event>(obj);
  const out: CoreEvent = {};
  if (e.metadata) out.metadata = e.metadata;
  if (e.regarding) out.involvedObject = e.regarding;
  if (e.note !== undefined) out.message = e.note;
  if (e.reason !== undefined) out.reason = e.reason;
  if (e.type !== undefined) out.type = e.type;
  if (e.deprecatedSource) out.source = e.deprecatedSource;
  if (e.deprecatedFirstTimestamp) out.firstTimestamp = e.deprecatedFirstTimestamp;
  if (e.deprecatedLastTimestamp) out.lastTimestamp = e.deprecatedLastTimestamp;
  if (e.deprecatedCount !== undefined) out.count = e.deprecatedCount;
  if (e.eventTime) out.eventTime = e.eventTime;
  if (e.series) out.series = e.series;
  if (e.reportingController) out.reportingController = e.reportingController;
  if (e.reportingInstance) out.reportingInstance = e.reportingInstance;
  return out;
}

/** `component, host`, falling back to the reporting controller and instance. */
function source(e: CoreEvent): string {
  const component = e.source?.component || e.reportingController || '';
  const host = e.source?.host || e.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

export const events: Printer = {
  columns: [
    column('Last Seen', 'string', 'Time since the event last occurred.'),
    column('Type', 'string', 'Normal or Warning.'),
    column('Reason', 'string', 'Short machine-readable reason for the event.'),
    column('Object', 'string', 'The object the event is about, as kind/name.'),
    wide('Subobject', 'string', 'Part of the object the event is about, e.g. a container.'),
    wide('Source', 'string', 'Component (and host) that reported the event.'),
    column('Message', 'string', 'Human-readable description of what happened.'),
    wide('First Seen', 'string', 'Time since the event first occurred.'),
    wide('Count', 'string', 'How many times the event has occurred.'),
    { ...NAME, priority: 1 },
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const e = asCoreEvent(obj);
    const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
    let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
    let count = e.count ?? 0;
    if (e.series) {
      last = since(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) {
      count = 1; // events.k8s.io singletons carry no count
    }
    const kind = (e.involvedObject?.kind ?? '').toLowerCase();
    const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
    return [
      last,
      e.type ?? '',
      e.reason ?? '',
      target,
      e.involvedObject?.fieldPath ?? '',
      source(e),
      (e.message ?? '').trim(),
      first,
      count,
      nameOf(e),
    ];
  },
};
