// Public face of the scheduler: the Scheduler component (run it like a controller, under leader
// election) and its options.
export { Scheduler, type SchedulerDeps } from './scheduler.js';
export { SCHEDULER_NAME } from './reporting.js';
