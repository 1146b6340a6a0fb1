// Judging a failed pod by the Job's podFailurePolicy: rules are tried in order and the first
// that matches decides — FailJob fails the whole Job (with a message naming the container and
// exit code, or the pod condition), Ignore leaves the failure uncounted (e.g. a disruption),
// Count and FailIndex count it. A failure no rule matches is counted.
import type { Pod } from '../../api/core/v1/index.js';
import type { Job } from '../../api/batch/v1/index.js';

type Policy = NonNullable<NonNullable<Job['spec']>['podFailurePolicy']>;
type Rule = NonNullable<Policy['rules']>[number];
type ExitCodes = NonNullable<Rule['onExitCodes']>;
type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];

export type PolicyAction = Rule['action'];

export interface PolicyVerdict {
  /** Whether the failure counts against the backoff limit. */
  countFailed: boolean;
  action?: PolicyAction;
  /** Set when a FailJob rule matched: why the Job fails. */
  failJobMessage?: string;
}

function exitCodeMatches(code: number, req: ExitCodes): boolean {
  const listed = (req.values ?? []).includes(code);
  return req.operator === 'In' ? listed : !listed;
}

/** The first terminated container (regular ones before init ones) whose non-zero exit code matches. */
function matchExitCodes(pod: Pod, req: ExitCodes): ContainerStatus | undefined {
  for (const list of [pod.status?.containerStatuses ?? [], pod.status?.initContainerStatuses ?? []]) {
    for (const s of list) {
      const code = s.state?.terminated?.exitCode;
      if (code === undefined || code === 0) continue;
      if (req.containerName !== undefined && req.containerName !== s.name) continue;
      if (exitCodeMatches(code, req)) return s;
    }
  }
  return undefined;
}

function matchConditions(pod: Pod, patterns: NonNullable<Rule['onPodConditions']>): string | undefined {
  for (const c of pod.status?.conditions ?? []) {
    if (patterns.some((p) => p.type === c.type && (p.status ?? 'True') === c.status)) return c.type;
  }
  return undefined;
}

export function matchPodFailurePolicy(policy: Policy, pod: Pod): PolicyVerdict {
  const where = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  const rules = policy.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as Rule;
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const s = matchExitCodes(pod, rule.onExitCodes);
      if (!s) continue;
      failJobMessage = `Container ${s.name} for pod ${where} failed with exit code ${s.state?.terminated?.exitCode ?? 0} matching ${rule.action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const type = matchConditions(pod, rule.onPodConditions);
      if (type === undefined) continue;
      failJobMessage = `Pod ${where} has condition ${type} matching ${rule.action} rule at index ${i}`;
    } else {
      continue;
    }
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'FailJob':
        return { countFailed: true, action: 'FailJob', failJobMessage };
      default:
        return { countFailed: true, action: rule.action };
    }
  }
  return { countFailed: true };
}
