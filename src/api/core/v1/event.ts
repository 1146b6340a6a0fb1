// core/v1 Event: a report that something happened to an object (a pod was scheduled, an image
// pull failed). Events are written by components, read by `kubectl describe` and `kubectl
// events`, and selected by the fields of the object they are about.
import { obj, str, int32, time, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, MicroTime, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { eventKind as eventKindNames } from '../../refs/index.js';
import { validateObjectMeta, checkFormat } from '../../validation/meta.js';
import { qualifiedName } from '../../validation/names.js';
import { invalid, required, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { ObjectReference } from './object-reference.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const EVENT_TYPES = ['Normal', 'Warning'] as const;
// Length limits Kubernetes puts on events that use the newer fields (eventTime set).
const LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 1024 } as const;

export const EventSource = obj(
  'The component (and host) that reported an event.',
  {
    component: str('Component that reported the event.'),
    host: str('Node name on which the event was generated.'),
  },
  { id: id('EventSource') },
);

export const EventSeries = obj(
  'A series of recurring events, counted rather than repeated.',
  {
    count: int32('Number of occurrences in the series so far.'),
    lastObservedTime: { ...MicroTime, description: 'When the last occurrence was seen.' },
  },
  { id: id('EventSeries') },
);

export const Event = obj(
  'A report of something that happened to an object.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    involvedObject: ObjectReference,
    reason: str('Short machine-readable reason for the transition, in CamelCase.'),
    message: str('Human-readable description of what happened.'),
    source: EventSource,
    firstTimestamp: time('When the event was first recorded.'),
    lastTimestamp: time('When the event was last recorded.'),
    count: int32('How many times the event has occurred.'),
    type: str('Normal or Warning; new types may be added.'),
    eventTime: { ...MicroTime, description: 'When the event was first observed (newer event writers).' },
    series: EventSeries,
    action: str('What action was taken or failed on the object.'),
    related: ObjectReference,
    reportingComponent: str('Controller that emitted the event, e.g. kubernetes.io/kubelet.'),
    reportingInstance: str('Instance of the controller that emitted the event, e.g. kubelet-node1.'),
  },
  { id: id('Event'), required: ['metadata', 'involvedObject'], ...describeKind('', 'v1', 'Event') },
);
export type Event = Static<typeof Event>;

/** Events written the old way (no eventTime) only need their namespace to agree with the object's. */
function validateLegacy(ev: Event): FieldError[] {
  const ns = ev.metadata?.namespace ?? '';
  const objNs = ev.involvedObject?.namespace ?? '';
  // Old clients put events about cluster-scoped objects in "default"; that stays accepted.
  const ok = objNs === '' ? ns === '' || ns === 'default' : ns === objNs;
  return ok ? [] : [invalid('involvedObject.namespace', objNs, 'does not match event.namespace')];
}

function tooLongErr(field: keyof typeof LIMITS, v: string | undefined): FieldError[] {
  const max = LIMITS[field];
  return v && v.length > max ? [invalid(field, '', `can have at most ${max} characters`)] : [];
}

/** Events carrying eventTime come from the newer API and must say who reported them and why. */
function validateNew(ev: Event): FieldError[] {
  const out: FieldError[] = [];
  const ns = ev.metadata?.namespace ?? '';
  if (!ev.involvedObject?.namespace && ns !== 'default' && ns !== 'kube-system')
    out.push(invalid('involvedObject.namespace', ev.involvedObject?.namespace ?? '', 'does not match event.namespace'));
  if (!ev.reportingComponent) out.push(required('reportingComponent'));
  else out.push(...checkFormat('reportingComponent', ev.reportingComponent, qualifiedName));
  if (!ev.reportingInstance) out.push(required('reportingInstance'));
  if (!ev.action) out.push(required('action'));
  if (!ev.reason) out.push(required('reason'));
  if (ev.type && !(EVENT_TYPES as readonly string[]).includes(ev.type)) out.push(notSupported('type', ev.type, EVENT_TYPES));
  out.push(...tooLongErr('reportingInstance', ev.reportingInstance));
  out.push(...tooLongErr('action', ev.action));
  out.push(...tooLongErr('reason', ev.reason));
  out.push(...tooLongErr('message', ev.message));
  return out;
}

export const eventKind = defineKind({
  ...eventKindNames,
  schema: Event,
  validate(ev) {
    const out = validateObjectMeta(ev.metadata, { namespaced: true });
    if (!ev.involvedObject) out.push(required('involvedObject'));
    out.push(...(ev.eventTime ? validateNew(ev) : validateLegacy(ev)));
    return out;
  },
  fields(ev) {
    const o = ev.involvedObject ?? {};
    return {
      'involvedObject.kind': o.kind ?? '',
      'involvedObject.namespace': o.namespace ?? '',
      'involvedObject.name': o.name ?? '',
      'involvedObject.uid': o.uid ?? '',
      'involvedObject.apiVersion': o.apiVersion ?? '',
      'involvedObject.resourceVersion': o.resourceVersion ?? '',
      'involvedObject.fieldPath': o.fieldPath ?? '',
      reason: ev.reason ?? '',
      reportingComponent: ev.reportingComponent ?? '',
      // Newer writers leave source empty and name themselves in reportingComponent instead.
      source: ev.source?.component || ev.reportingComponent || '',
      type: ev.type ?? '',
    };
  },
});
