// batch/v1: Jobs and CronJobs, the kinds src/api/kinds.ts serves for this group, plus what the
// apiserver's Job create strategy and the cronjob controller need from them.
import type { KindDef } from '../../kind.js';
import { jobKind } from './job.js';
import { cronJobKind } from './cronjob.js';

export const batchV1Kinds: KindDef[] = [jobKind, cronJobKind];

export {
  Job,
  JobStatus,
  jobKind,
  generateJobSelector,
  CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  LEGACY_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
} from './job.js';
export { JobSpec, defaultJobSpec } from './job-spec.js';
export { CronJob, CronJobSpec, JobTemplateSpec, cronJobKind } from './cronjob.js';
