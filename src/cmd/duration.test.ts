import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDurationMs } from './duration.js';

describe('command-line durations', () => {
  it('reads units, combinations and a bare zero', () => {
    assert.equal(parseDurationMs('5m', '--x'), 300_000);
    assert.equal(parseDurationMs('1m30s', '--x'), 90_000);
    assert.equal(parseDurationMs('250ms', '--x'), 250);
    assert.equal(parseDurationMs('0', '--x'), 0);
  });
  it('names the flag when the text is not a duration', () => {
    assert.throws(() => parseDurationMs('5', '--compaction-interval'), /--compaction-interval: "5" is not a duration/);
    assert.throws(() => parseDurationMs('5mx', '--compaction-interval'), /not a duration/);
  });
});
