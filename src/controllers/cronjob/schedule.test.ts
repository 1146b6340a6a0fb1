// Unit tests of the CronJob schedule arithmetic, Job naming and the time formats it writes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob } from '../../api/batch/v1/index.js';
import { parseCron } from '../../lib/cron.js';
import { jobFromTemplate, SCHEDULED_TIMESTAMP_ANNOTATION } from './jobs.js';
import { formatInZone, formatRFC1123Z, jobNameFor, mostRecentScheduleTime, nextScheduleDelay } from './schedule.js';

const T = (iso: string): number => Date.parse(iso);

function cronJob(o: { schedule: string; created: string; last?: string; deadline?: number; timeZone?: string }): CronJob {
  return {
    metadata: { name: 'report', namespace: 'ns', uid: 'cj-uid', creationTimestamp: o.created },
    spec: {
      schedule: o.schedule,
      ...(o.timeZone ? { timeZone: o.timeZone } : {}),
      ...(o.deadline !== undefined ? { startingDeadlineSeconds: o.deadline } : {}),
      jobTemplate: { metadata: { labels: { app: 'r' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } } },
    },
    ...(o.last ? { status: { lastScheduleTime: o.last } } : {}),
  };
}

describe('mostRecentScheduleTime', () => {
  const every5 = parseCron('*/5 * * * *');

  it('finds nothing before the first time, then the latest time that came', () => {
    const cj = cronJob({ schedule: '*/5 * * * *', created: '2024-05-01T10:01:00Z' });
    assert.equal(mostRecentScheduleTime({ cj, now: T('2024-05-01T10:04:59Z'), schedule: every5, includeDeadline: true }).mostRecent, undefined);
    assert.equal(mostRecentScheduleTime({ cj, now: T('2024-05-01T10:05:00Z'), schedule: every5, includeDeadline: true }).mostRecent, T('2024-05-01T10:05:00Z'));
    const later = mostRecentScheduleTime({ cj, now: T('2024-05-01T10:32:00Z'), schedule: every5, includeDeadline: true });
    assert.equal(later.mostRecent, T('2024-05-01T10:30:00Z'));
    assert.equal(later.missed, 'few');
  });

  it('counts from the last schedule time and stops at the starting deadline', () => {
    const cj = cronJob({ schedule: '*/5 * * * *', created: '2024-05-01T00:00:00Z', last: '2024-05-01T10:00:00Z', deadline: 60 });
    assert.equal(mostRecentScheduleTime({ cj, now: T('2024-05-01T10:07:00Z'), schedule: every5, includeDeadline: true }).mostRecent, undefined);
    assert.equal(mostRecentScheduleTime({ cj, now: T('2024-05-01T10:07:00Z'), schedule: every5, includeDeadline: false }).mostRecent, T('2024-05-01T10:05:00Z'));
    assert.equal(mostRecentScheduleTime({ cj, now: T('2024-05-01T10:05:30Z'), schedule: every5, includeDeadline: true }).mostRecent, T('2024-05-01T10:05:00Z'));
  });

  it('flags more than 100 missed times and still finds the latest at once, even years later', () => {
    const cj = cronJob({ schedule: '* * * * *', created: '2020-01-01T00:00:00Z' });
    const r = mostRecentScheduleTime({ cj, now: T('2024-05-01T10:07:30Z'), schedule: parseCron('* * * * *'), includeDeadline: true });
    assert.equal(r.missed, 'many');
    assert.equal(r.mostRecent, T('2024-05-01T10:07:00Z'));
  });

  it('handles irregular schedules', () => {
    const cj = cronJob({ schedule: '0 9,10 * * *', created: '2024-05-01T00:00:00Z' });
    const r = mostRecentScheduleTime({ cj, now: T('2024-05-20T08:00:00Z'), schedule: parseCron('0 9,10 * * *'), includeDeadline: false });
    assert.equal(r.mostRecent, T('2024-05-19T10:00:00Z'));
  });

  it('reads the schedule in the time zone', () => {
    const cj = cronJob({ schedule: '0 9 * * *', created: '2024-05-01T00:00:00Z', timeZone: 'Asia/Tokyo' });
    const r = mostRecentScheduleTime({ cj, now: T('2024-05-02T01:00:00Z'), schedule: parseCron('0 9 * * *'), includeDeadline: false });
    assert.equal(r.mostRecent, T('2024-05-02T00:00:00Z'));
  });
});

describe('nextScheduleDelay', () => {
  it('is the time to the next schedule plus 100 ms', () => {
    const cj = cronJob({ schedule: '*/5 * * * *', created: '2024-05-01T10:01:00Z' });
    assert.equal(nextScheduleDelay({ cj, now: T('2024-05-01T10:02:00Z'), schedule: parseCron('*/5 * * * *') }), 3 * 60_000 + 100);
    const ran = cronJob({ schedule: '*/5 * * * *', created: '2024-05-01T10:01:00Z', last: '2024-05-01T10:05:00Z' });
    assert.equal(nextScheduleDelay({ cj: ran, now: T('2024-05-01T10:05:01Z'), schedule: parseCron('*/5 * * * *') }), 5 * 60_000 - 1000 + 100);
  });
});

describe('names and formats', () => {
  it('names Jobs after the scheduled minute since the epoch', () => {
    assert.equal(jobNameFor('report', T('2024-05-01T10:05:00Z')), 'report-28575965');
  });

  it('writes RFC 3339 in the zone and RFC 1123Z in UTC', () => {
    assert.equal(formatInZone(T('2024-05-01T10:05:00Z'), undefined), '2024-05-01T10:05:00Z');
    assert.equal(formatInZone(T('2024-05-01T10:05:00Z'), 'Europe/Berlin'), '2024-05-01T12:05:00+02:00');
    assert.equal(formatInZone(T('2024-01-01T10:05:00Z'), 'America/New_York'), '2024-01-01T05:05:00-05:00');
    assert.equal(formatInZone(T('2024-01-01T10:05:00Z'), 'Asia/Kolkata'), '2024-01-01T15:35:00+05:30');
    assert.equal(formatInZone(T('2024-01-01T10:05:00Z'), 'Etc/UTC'), '2024-01-01T10:05:00Z');
    assert.equal(formatRFC1123Z(T('2024-05-01T10:05:00Z')), 'Wed, 01 May 2024 10:05:00 +0000');
  });

  it('stamps the Job from the template with name, annotation and owner', () => {
    const cj = cronJob({ schedule: '0 9 * * *', created: '2024-05-01T00:00:00Z', timeZone: 'Asia/Tokyo' });
    const job = jobFromTemplate(cj, T('2024-05-02T00:00:00Z'));
    assert.equal(job.metadata?.name, `report-${T('2024-05-02T00:00:00Z') / 60_000}`);
    assert.deepEqual(job.metadata?.labels, { app: 'r' });
    assert.deepEqual(job.metadata?.annotations, { [SCHEDULED_TIMESTAMP_ANNOTATION]: '2024-05-02T09:00:00+09:00' });
    assert.deepEqual(job.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(job.spec, cj.spec?.jobTemplate.spec);
  });
});
