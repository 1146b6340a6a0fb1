// Cron schedules as CronJob.spec.schedule accepts them: five fields (minute, hour, day of month,
// month, day of week) with lists, ranges, steps and month/day names, or one of the @-shorthands.
// Validation uses `parseCron` for its error message; the cronjob controller uses `next()` to find
// the following run time in the CronJob's time zone. Times are searched on the zone's wall clock
// and mapped back to instants, so daylight-saving changes neither skip a whole day nor repeat
// one: a wall time that does not exist is skipped, a repeated one fires on its first occurrence.

export interface CronSchedule {
  /** The expression this schedule was parsed from. */
  readonly source: string;
  /**
   * The first matching minute strictly after `after`, read on the wall clock of `timeZone`
   * (an IANA name; UTC when omitted). Throws if the schedule never fires (e.g. `0 0 30 2 *`).
   */
  next(after: Date, timeZone?: string): Date;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** One parsed field: the allowed values, and whether it was written as an unrestricted `*`. */
interface FieldSet {
  values: Set<number>;
  star: boolean;
}

function parseNumber(text: string, spec: FieldSpec): number {
  const lower = text.toLowerCase();
  const named = spec.names?.indexOf(lower) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text)) throw new Error(`invalid ${spec.name} value "${text}"`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new Error(`${spec.name} value ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

function parseField(text: string, spec: FieldSpec): FieldSet {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    if (part === '') throw new Error(`empty list element in ${spec.name} field "${text}"`);
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === undefined) throw new Error(`too many '/' in ${spec.name} field "${part}"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new Error(`invalid step "${stepText}" in ${spec.name} field`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = spec.min;
      hi = spec.max;
      // `*/2` restricts the field, so only a plain star counts as "any" for day matching.
      if (step === 1) star = true;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) throw new Error(`too many '-' in ${spec.name} field "${part}"`);
      lo = parseNumber(bounds[0] ?? '', spec);
      // `5/15` means "from 5 to the end, every 15", as classic cron implementations read it.
      hi = bounds[1] !== undefined ? parseNumber(bounds[1], spec) : stepText !== undefined ? spec.max : lo;
      if (hi < lo) throw new Error(`${spec.name} range ${range} starts after it ends`);
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

/** Parses a cron expression; throws an Error whose message explains what is wrong. */
export function parseCron(expr: string): CronSchedule {
  const trimmed = expr.trim();
  let body = trimmed;
  if (trimmed.startsWith('@')) {
    const expanded = SHORTHANDS[trimmed.toLowerCase()];
    if (expanded === undefined) throw new Error(`unrecognized descriptor: ${trimmed}`);
    body = expanded;
  }
  const parts = body.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: "${trimmed}"`);
  const sets = parts.map((p, i) => parseField(p, FIELDS[i] as FieldSpec));
  const [minute, hour, dom, month, dow] = sets as [FieldSet, FieldSet, FieldSet, FieldSet, FieldSet];
  const schedule = { minute, hour, dom, month, dow };
  return {
    source: expr,
    next: (after, timeZone) => nextRun(schedule, after, timeZone ?? 'UTC'),
  };
}

interface Parsed {
  minute: FieldSet;
  hour: FieldSet;
  dom: FieldSet;
  month: FieldSet;
  dow: FieldSet;
}

/** Wall-clock fields; month is 1-12. */
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function dayMatches(s: Parsed, w: Wall): boolean {
  const domOk = s.dom.values.has(w.day);
  const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  const dowOk = s.dow.values.has(weekday);
  // Classic cron: when both day fields are restricted, either one matching is enough.
  if (s.dom.star || s.dow.star) return domOk && dowOk;
  return domOk || dowOk;
}

/** Normalises wall fields (e.g. minute 60) by doing the arithmetic as if the zone were UTC. */
function wallFrom(ms: number): Wall {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

const wallMs = (w: Wall): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `timeZone` at instant `ms` (seconds dropped). */
function toWall(ms: number, timeZone: string): Wall {
  if (timeZone === 'UTC') return wallFrom(ms);
  const get: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') get[p.type] = Number(p.value);
  }
  return { year: get.year ?? 0, month: get.month ?? 0, day: get.day ?? 0, hour: get.hour ?? 0, minute: get.minute ?? 0 };
}

/** Every instant (0, 1 or 2 around DST changes) whose wall clock in `timeZone` is `w`, ascending. */
function fromWall(w: Wall, timeZone: string): number[] {
  const guess = wallMs(w);
  if (timeZone === 'UTC') return [guess];
  const DAY = 86_400_000;
  // Offsets a day either side bracket any single transition, so the candidates cover both sides.
  const offsets = new Set([DAY, -DAY].map((d) => wallMs(toWall(guess + d, timeZone)) - Math.floor((guess + d) / 60_000) * 60_000));
  return [...offsets]
    .map((o) => guess - o)
    .filter((t) => wallMs(toWall(t, timeZone)) === guess)
    .sort((a, b) => a - b);
}

/** Search horizon: long enough for a Feb 29 on a given weekday, short enough to stop on impossible dates. */
const MAX_YEARS = 30;

function nextRun(s: Parsed, after: Date, timeZone: string): Date {
  const afterMs = after.getTime();
  if (Number.isNaN(afterMs)) throw new Error('invalid start time');
  const startMinute = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
  let w = toWall(startMinute, timeZone);
  const stopYear = w.year + MAX_YEARS;
  while (w.year <= stopYear) {
    if (!s.month.values.has(w.month)) {
      w = wallFrom(Date.UTC(w.year, w.month, 1));
      continue;
    }
    if (!dayMatches(s, w)) {
      w = wallFrom(Date.UTC(w.year, w.month - 1, w.day + 1));
      continue;
    }
    if (!s.hour.values.has(w.hour)) {
      w = wallFrom(Date.UTC(w.year, w.month - 1, w.day, w.hour + 1));
      continue;
    }
    if (s.minute.values.has(w.minute)) {
      const hit = fromWall(w, timeZone).find((t) => t > afterMs);
      if (hit !== undefined) return new Date(hit);
    }
    w = wallFrom(wallMs(w) + 60_000);
  }
  throw new Error(`schedule never fires within ${MAX_YEARS} years`);
}
