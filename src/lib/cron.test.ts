import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCron } from './cron.js';

const iso = (d: Date): string => d.toISOString();
const next = (expr: string, after: string, tz?: string): string => iso(parseCron(expr).next(new Date(after), tz));

describe('parseCron', () => {
  it('accepts the five-field forms and shorthands', () => {
    for (const e of ['* * * * *', '*/5 0-6,22 1,15 JAN-mar mon-FRI', '0 0 * * 0', '5/15 * * * *', '? * * * ?', '@hourly', '@Daily', '@annually']) {
      assert.doesNotThrow(() => parseCron(e), e);
    }
  });

  it('rejects malformed expressions with a reason', () => {
    assert.throws(() => parseCron('* * * *'), /expected exactly 5 fields, found 4/);
    assert.throws(() => parseCron('60 * * * *'), /minute value 60 is outside 0-59/);
    assert.throws(() => parseCron('* * 0 * *'), /day of month value 0/);
    assert.throws(() => parseCron('* * * 13 *'), /month value 13/);
    assert.throws(() => parseCron('* * * * 7'), /day of week value 7/);
    assert.throws(() => parseCron('*/0 * * * *'), /invalid step/);
    assert.throws(() => parseCron('5-1 * * * *'), /starts after it ends/);
    assert.throws(() => parseCron('a * * * *'), /invalid minute value "a"/);
    assert.throws(() => parseCron('1,,2 * * * *'), /empty list element/);
    assert.throws(() => parseCron('@every 5m'), /unrecognized descriptor/);
    assert.throws(() => parseCron('@fortnightly'), /unrecognized descriptor/);
  });
});

describe('CronSchedule.next', () => {
  it('returns the next minute strictly after the given time', () => {
    assert.equal(next('* * * * *', '2024-01-01T00:00:00Z'), '2024-01-01T00:01:00.000Z');
    assert.equal(next('* * * * *', '2024-01-01T00:00:30Z'), '2024-01-01T00:01:00.000Z');
    assert.equal(next('*/15 * * * *', '2024-01-01T00:15:00Z'), '2024-01-01T00:30:00.000Z');
    assert.equal(next('5/20 * * * *', '2024-01-01T00:46:00Z'), '2024-01-01T01:05:00.000Z');
  });

  it('rolls over hours, days, months and years', () => {
    assert.equal(next('@hourly', '2024-01-01T23:30:00Z'), '2024-01-02T00:00:00.000Z');
    assert.equal(next('0 0 1 * *', '2024-01-31T12:00:00Z'), '2024-02-01T00:00:00.000Z');
    assert.equal(next('@yearly', '2024-06-01T00:00:00Z'), '2025-01-01T00:00:00.000Z');
    assert.equal(next('30 2 31 * *', '2024-04-01T00:00:00Z'), '2024-05-31T02:30:00.000Z');
    assert.equal(next('0 0 29 2 *', '2024-03-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
  });

  it('ORs day-of-month and day-of-week when both are restricted, ANDs when one is a star', () => {
    // 2024-01-02 is a Tuesday; the 13th is a Saturday.
    assert.equal(next('0 0 13 * 5', '2024-01-02T00:00:00Z'), '2024-01-05T00:00:00.000Z');
    assert.equal(next('0 0 * * 5', '2024-01-02T00:00:00Z'), '2024-01-05T00:00:00.000Z');
    assert.equal(next('0 0 13 * *', '2024-01-02T00:00:00Z'), '2024-01-13T00:00:00.000Z');
    // `*/2` in day of month is a restriction, so the OR rule applies.
    assert.equal(next('0 0 */2 * 1', '2024-01-01T12:00:00Z'), '2024-01-03T00:00:00.000Z');
  });

  it('reads the schedule on the wall clock of a time zone', () => {
    // 09:00 in Tokyo (UTC+9, no DST) is 00:00 UTC.
    assert.equal(next('0 9 * * *', '2024-01-01T01:00:00Z', 'Asia/Tokyo'), '2024-01-02T00:00:00.000Z');
    // New York in winter is UTC-5, in summer UTC-4.
    assert.equal(next('0 9 * * *', '2024-01-10T00:00:00Z', 'America/New_York'), '2024-01-10T14:00:00.000Z');
    assert.equal(next('0 9 * * *', '2024-07-10T00:00:00Z', 'America/New_York'), '2024-07-10T13:00:00.000Z');
  });

  it('skips wall times that do not exist and fires once for repeated ones', () => {
    // 2024-03-10 02:30 does not exist in New York; the next 02:30 is on March 11 (EDT, UTC-4).
    assert.equal(next('30 2 * * *', '2024-03-10T05:00:00Z', 'America/New_York'), '2024-03-11T06:30:00.000Z');
    // 2024-11-03 01:30 happens twice; the first (EDT) fires, then the next day's.
    const first = next('30 1 * * *', '2024-11-03T04:00:00Z', 'America/New_York');
    assert.equal(first, '2024-11-03T05:30:00.000Z');
    assert.equal(next('30 1 * * *', first, 'America/New_York'), '2024-11-04T06:30:00.000Z');
    // Starting inside the repeated hour (after the first 01:30) still finds the later 01:45.
    assert.equal(next('45 1 * * *', '2024-11-03T06:10:00Z', 'America/New_York'), '2024-11-03T06:45:00.000Z');
  });

  it('throws for schedules that can never fire', () => {
    assert.throws(() => parseCron('0 0 30 2 *').next(new Date('2024-01-01T00:00:00Z')), /never fires/);
  });
});
