// batch/v1 Job: pods that run to completion, retried within limits. Besides the schema and
// validation this holds the selector generation Kubernetes does on create: unless the user
// asks for a manual selector, the server labels the pod template with the Job's uid and name
// and selects on the uid, so two Jobs can never adopt each other's pods.
import { obj, str, int32, list, time, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateLabelSelector, validateObjectMeta } from '../../validation/meta.js';
import { dns1123Label } from '../../validation/names.js';
import type { PodTemplateSpec } from '../../core/v1/pod-spec.js';
import { defaultPodSpec } from '../../core/v1/pod-defaults.js';
import { child, invalid, key, required, type FieldError } from '../../../lib/field-errors.js';
import { conditionSchema, nonNegative, sameValue, selectorMatches, unchanged } from '../../apps/v1/index.js';
import { JobSpec, defaultJobSpec, validateJobSpecCommon } from './job-spec.js';

const P = 'io.k8s.api.batch.v1';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** Unprefixed twins of the labels above, still set because existing tooling selects on them. */
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

export const JobCondition = conditionSchema(
  { id: `${P}.JobCondition`, description: 'One observation about a Job, such as Complete, Failed, Suspended or SuccessCriteriaMet.' },
  { lastProbeTime: time('When this condition was last checked.') },
);

export const UncountedTerminatedPods = obj(
  'UIDs of finished pods the Job controller has not yet added to the succeeded/failed counters (it removes their finalizers first).',
  {
    succeeded: list('UIDs of succeeded pods.', str('Pod UID.'), { listType: 'set' }),
    failed: list('UIDs of failed pods.', str('Pod UID.'), { listType: 'set' }),
  },
  { id: `${P}.UncountedTerminatedPods` },
);

export const JobStatus = obj(
  'The most recently observed state of a Job.',
  {
    conditions: list('Current observations of the Job; Complete or Failed once it has finished.', JobCondition, {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'atomic',
    }),
    startTime: time('When the Job controller started working on the Job (reset when a suspended Job resumes).'),
    completionTime: time('When the Job completed successfully; unset for failed Jobs.'),
    active: int32('Pods pending or running.'),
    succeeded: int32('Pods that succeeded.'),
    failed: int32('Pods that failed.'),
    terminating: int32('Pods terminating (with a deletion timestamp) and not yet failed or succeeded.'),
    completedIndexes: str('Succeeded indexes of an Indexed Job, as intervals such as "1,3-5".'),
    failedIndexes: str('Failed indexes of an Indexed Job with backoffLimitPerIndex, as intervals.'),
    uncountedTerminatedPods: UncountedTerminatedPods,
    ready: int32('Active pods with a Ready condition.'),
  },
  { id: `${P}.JobStatus` },
);

export const Job = obj(
  'Runs pods until a number of them succeed, retrying failures within its limits.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: JobSpec,
    status: JobStatus,
  },
  { id: `${P}.Job`, ...describeKind('batch', 'v1', 'Job') },
);
export type Job = Static<typeof Job>;
export type JobStatus = Static<typeof JobStatus>;

export function defaultJob(job: Job): void {
  const spec = job.spec;
  if (!spec) return;
  defaultJobSpec(spec);
  // A Job without labels of its own is labelled like its pods.
  const tplLabels = spec.template?.metadata?.labels;
  if (tplLabels && Object.keys(tplLabels).length > 0 && Object.keys(job.metadata?.labels ?? {}).length === 0) {
    (job.metadata ??= {}).labels = { ...tplLabels };
  }
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

/**
 * Called by the create strategy once the Job has its uid: unless `manualSelector` is true, adds
 * the uid and name labels to the pod template (keeping any the user set, which validation then
 * checks) and selects on the uid. A Job whose labels were copied from its template (or that has
 * none) gets the generated labels too, as it does in Kubernetes.
 */
export function generateJobSelector(job: Job): void {
  const spec = job.spec;
  if (!spec || spec.manualSelector === true) return;
  const meta = (job.metadata ??= {});
  const uid = meta.uid ?? '';
  const name = meta.name ?? '';
  const template: PodTemplateSpec = (spec.template ??= {});
  const tplMeta = (template.metadata ??= {});
  const before = { ...tplMeta.labels };
  const labels = (tplMeta.labels ??= {});
  for (const [k, v] of [
    [LEGACY_CONTROLLER_UID_LABEL, uid],
    [CONTROLLER_UID_LABEL, uid],
    [LEGACY_JOB_NAME_LABEL, name],
    [JOB_NAME_LABEL, name],
  ] as const) {
    if (!(k in labels)) labels[k] = v;
  }
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = uid;
  const own = meta.labels ?? {};
  if (Object.keys(own).length === 0 || sameValue(own, before)) meta.labels = { ...labels };
}

/** After generation the template must carry exactly the uid and name labels the selector picks. */
function validateGeneratedSelector(job: Job, uid: string): FieldError[] {
  const labelsPath = 'spec.template.metadata.labels';
  const labels = job.spec?.template?.metadata?.labels;
  if (!labels) return [invalid(labelsPath, null, '`selector` not auto-generated')];
  const name = job.metadata?.name ?? '';
  const expected: Record<string, string> = {
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
  };
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(expected)) {
    if (!(k in labels)) out.push(required(key(labelsPath, k), `must be '${v}'`));
    else if (labels[k] !== v) out.push(invalid(key(labelsPath, k), labels, `must be '${v}'`));
  }
  const selector = job.spec?.selector;
  if (selector && !selectorMatches(selector, expected)) out.push(invalid('spec.selector', selector, '`selector` not auto-generated'));
  return out;
}

function validateJobSelector(job: Job): FieldError[] {
  const spec: Partial<Job['spec'] & object> = job.spec ?? {};
  const manual = spec.manualSelector === true;
  const uid = job.metadata?.uid;
  // Before the create strategy has generated it (no uid yet) an automatic selector may be absent.
  if (!spec.selector) return manual || uid ? [required('spec.selector', '')] : [];
  const out = validateLabelSelector(spec.selector, 'spec.selector');
  const labels = spec.template?.metadata?.labels;
  if (out.length === 0 && !selectorMatches(spec.selector, labels)) {
    out.push(invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
  }
  if (!manual && uid) out.push(...validateGeneratedSelector(job, uid));
  return out;
}

/** Scheduling fields of the template a suspended, never-started Job may still change (for queueing systems). */
function withoutSchedulingDirectives(t: PodTemplateSpec | undefined): unknown {
  if (!t) return t;
  const { labels: _l, annotations: _a, ...meta } = t.metadata ?? {};
  const { nodeSelector: _n, tolerations: _t, schedulingGates: _g, affinity, ...spec } = t.spec ?? { containers: [] };
  const { nodeAffinity: _na, ...otherAffinity } = affinity ?? {};
  return { ...t, metadata: meta, spec: { ...spec, affinity: otherAffinity } };
}

function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const s: Partial<Job['spec'] & object> = job.spec ?? {};
  const o: Partial<Job['spec'] & object> = old.spec ?? {};
  const out = [
    ...unchanged('spec.selector', s.selector, o.selector),
    ...unchanged('spec.completionMode', s.completionMode, o.completionMode),
    ...unchanged('spec.podFailurePolicy', s.podFailurePolicy, o.podFailurePolicy),
    ...unchanged('spec.backoffLimitPerIndex', s.backoffLimitPerIndex, o.backoffLimitPerIndex),
    ...unchanged('spec.managedBy', s.managedBy, o.managedBy),
    ...unchanged('spec.successPolicy', s.successPolicy, o.successPolicy),
  ];
  // Elastic Indexed Jobs may resize, but only by changing completions and parallelism together.
  if (s.completionMode !== 'Indexed') out.push(...unchanged('spec.completions', s.completions, o.completions));
  else if (s.completions !== o.completions && s.completions !== undefined && s.completions !== s.parallelism) {
    out.push(invalid('spec.completions', s.completions, 'can only be modified in tandem with spec.parallelism'));
  }
  const mutableScheduling = o.suspend === true && !old.status?.startTime;
  if (mutableScheduling) {
    if (!sameValue(withoutSchedulingDirectives(s.template), withoutSchedulingDirectives(o.template))) {
      out.push(invalid('spec.template', s.template, 'field is immutable'));
    }
  } else {
    out.push(...unchanged('spec.template', s.template, o.template));
  }
  return out;
}

export const jobKind = defineKind({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  schema: Job,
  status: true,
  defaults: defaultJob,
  validate(job, { old }) {
    const out = validateObjectMeta(job.metadata, { namespaced: true });
    out.push(...validateJobSpecCommon(job.spec, 'spec'));
    out.push(...validateJobSelector(job));
    const spec = job.spec;
    const name = job.metadata?.name;
    // Indexed pods are named <job>-<index>, and that name is also their host name.
    if (spec?.completionMode === 'Indexed' && name && (spec.completions ?? 0) > 0) {
      const host = `${name}-${(spec.completions ?? 1) - 1}`;
      if (dns1123Label(host).length > 0) out.push(invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${host}`));
    }
    if (old) out.push(...validateJobUpdate(job, old));
    for (const f of ['active', 'succeeded', 'failed', 'terminating', 'ready'] as const) {
      out.push(...nonNegative(child('status', f), job.status?.[f]));
    }
    return out;
  },
  fields: (job) => ({ 'status.successful': String(job.status?.succeeded ?? 0) }),
});
