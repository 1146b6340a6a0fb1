// Schedule arithmetic of the CronJob controller: the most recent scheduled time that has come
// (counting from the last schedule, or creation, or — with startingDeadlineSeconds — no further
// back than the deadline), whether too many were missed, when to look again, the deterministic
// Job name `<cronjob>-<minutes since epoch>` that stops a time being run twice, and the time
// formats the controller writes.
import type { CronJob } from '../../api/batch/v1/index.js';
import type { CronSchedule } from '../../lib/cron.js';

/** Extra wait after a scheduled time, so a clock running slightly behind still finds it due. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed times than this earns a TooManyMissedTimes warning. */
export const MAX_MISSED = 100;

export type Missed = 'none' | 'few' | 'many';

export interface RecentSchedule {
  /** Where the search started: last schedule time, creation time, or the starting deadline. */
  earliest: number;
  /** The latest scheduled time at or before now, if any came since `earliest`. */
  mostRecent?: number;
  missed: Missed;
}

const parseTime = (s: string | undefined): number | undefined => {
  const t = Date.parse(s ?? '');
  return Number.isNaN(t) ? undefined : t;
};

/**
 * The latest scheduled time in [t1, now], given that t1 is one. Bisects with `next` instead of
 * stepping through every missed time, so a controller that was down for years answers at once.
 */
function latestUpTo(o: { t1: number; now: number; next: (ms: number) => number }): number {
  let lo = o.t1;
  let hi = o.now;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const n = o.next(mid);
    if (n <= o.now) lo = n;
    else hi = mid;
  }
  for (let n = o.next(lo); n <= o.now; n = o.next(lo)) lo = n;
  return lo;
}

export function mostRecentScheduleTime(o: { cj: CronJob; now: number; schedule: CronSchedule; includeDeadline: boolean }): RecentSchedule {
  const tz = o.cj.spec?.timeZone;
  const next = (ms: number): number => o.schedule.next(new Date(ms), tz).getTime();
  let earliest = parseTime(o.cj.status?.lastScheduleTime) ?? parseTime(o.cj.metadata?.creationTimestamp) ?? o.now;
  const deadline = o.cj.spec?.startingDeadlineSeconds;
  if (o.includeDeadline && deadline !== undefined) earliest = Math.max(earliest, o.now - deadline * 1000);
  const t1 = next(earliest);
  if (o.now < t1) return { earliest, missed: 'none' };
  const t2 = next(t1);
  if (o.now < t2) return { earliest, mostRecent: t1, missed: 'few' };
  // The count is estimated from the first interval, as Kubernetes does; it only decides the warning.
  const interval = Math.round((t2 - t1) / 1000);
  const count = Math.floor((o.now - t1) / 1000 / interval) + 1;
  return { earliest, mostRecent: latestUpTo({ t1, now: o.now, next }), missed: count > MAX_MISSED ? 'many' : 'few' };
}

/** How long until the controller should look at the CronJob again. */
export function nextScheduleDelay(o: { cj: CronJob; now: number; schedule: CronSchedule }): number {
  let base: number;
  try {
    const r = mostRecentScheduleTime({ ...o, includeDeadline: false });
    base = r.mostRecent ?? r.earliest;
  } catch {
    base = o.now;
  }
  return o.schedule.next(new Date(base), o.cj.spec?.timeZone).getTime() + NEXT_SCHEDULE_DELTA_MS - o.now;
}

/** The name of the Job for one scheduled time; the same time always yields the same name. */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

function offsetMinutes(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** RFC 3339 on the wall clock of `timeZone` (UTC when unset): "2024-03-01T09:00:00+01:00", "…Z" at offset zero. */
export function formatInZone(ms: number, timeZone: string | undefined): string {
  const off = timeZone ? offsetMinutes(ms, timeZone) : 0;
  const d = new Date(Math.floor(ms / 1000) * 1000 + off * 60_000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (off === 0) return `${date}Z`;
  return `${date}${off < 0 ? '-' : '+'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 1123 with a numeric zone, in UTC: "Mon, 02 Jan 2006 15:04:05 +0000" (the MissSchedule message). */
export function formatRFC1123Z(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
