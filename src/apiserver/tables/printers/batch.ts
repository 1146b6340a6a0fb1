// Tables for batch/v1: jobs (STATUS from their conditions, COMPLETIONS as succeeded/wanted,
// DURATION from start to completion or to now) and cronjobs (SCHEDULE, TIMEZONE, SUSPEND,
// ACTIVE, LAST SCHEDULE).
import type { ApiObject } from '../../../api/kind.js';
import { formatLabelSelector, type LabelSelectorObject } from '../../../lib/selectors/index.js';
import { humanDuration, parseTime, since } from '../duration.js';
import { NAME, column, nameOf, printOptionalBool, view, wide, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';
import { templateCells, templateColumns, type PodTemplate } from './pod-template.js';

interface JobSpec {
  completions?: number;
  parallelism?: number;
  selector?: LabelSelectorObject;
  template?: PodTemplate;
}

interface Job extends WithMeta {
  spec?: JobSpec;
  status?: {
    succeeded?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: { type?: string; status?: string }[];
  };
}

const SELECTOR = wide('Selector', 'string', 'Label selector of the pods the job manages.');

/** The first condition of a type decides, as in Kubernetes. */
const hasCondition = (job: Job, type: string): boolean => job.status?.conditions?.find((c) => c.type === type)?.status === 'True';

function jobStatus(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const spec = job.spec ?? {};
  if (spec.completions !== undefined && spec.completions !== null) return `${succeeded}/${spec.completions}`;
  const parallelism = spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function duration(job: Job, now: Date): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(job.status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

export const jobs: Printer = {
  columns: [
    NAME,
    column('Status', 'string', 'Complete, Failed, Running, Suspended, Terminating or FailureTarget.'),
    column('Completions', 'string', 'Succeeded pods out of the completions wanted.'),
    column('Duration', 'string', 'How long the job ran, or has been running.'),
    ...templateColumns(SELECTOR),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const job = view<Job>(obj);
    return [
      nameOf(job),
      jobStatus(job),
      completions(job),
      duration(job, now),
      ...templateCells(job, now, job.spec?.template, formatLabelSelector(job.spec?.selector)),
    ];
  },
};

interface CronJob extends WithMeta {
  spec?: { schedule?: string; timeZone?: string; suspend?: boolean; jobTemplate?: { spec?: JobSpec } };
  status?: { active?: unknown[]; lastScheduleTime?: string };
}

export const cronjobs: Printer = {
  columns: [
    NAME,
    column('Schedule', 'string', 'When jobs are started, in cron syntax.'),
    column('Timezone', 'string', 'Time zone the schedule is read in; the controller\'s own when unset.'),
    column('Suspend', 'boolean', 'Whether new runs are held back.'),
    column('Active', 'integer', 'Number of jobs currently running.'),
    column('Last Schedule', 'string', 'Time since a job was last started.'),
    ...templateColumns(SELECTOR),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const cj = view<CronJob>(obj);
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const last = cj.status?.lastScheduleTime;
    return [
      nameOf(cj),
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      printOptionalBool(cj.spec?.suspend),
      cj.status?.active?.length ?? 0,
      last ? since(last, now) : '<none>',
      ...templateCells(cj, now, jobSpec?.template, formatLabelSelector(jobSpec?.selector)),
    ];
  },
};
