// The log viewer's pure parts: line splitting across chunks, timestamps, the line cap, resuming
// a followed stream without repeats, search highlighting and filtering, and the request path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogBuffer, tsAfter } from './log-buffer.ts';
import { logPath } from './log-query.ts';
import { countMatches, matches, searchPattern, segments } from './log-search.ts';

describe('log buffer', () => {
  it('joins lines split across chunks and strips timestamps', () => {
    const b = new LogBuffer(100, true);
    assert.equal(b.push('2025-01-01T12:00:00.000000001Z hel'), false);
    assert.equal(b.push('lo\n2025-01-01T12:00:01.5Z world\npart'), true);
    assert.deepEqual(b.lines, [
      { n: 0, ts: '2025-01-01T12:00:00.000000001Z', text: 'hello' },
      { n: 1, ts: '2025-01-01T12:00:01.5Z', text: 'world' },
    ]);
    assert.equal(b.end(), true);
    assert.equal(b.lines.at(-1)?.text, 'part');
  });

  it('keeps only the newest lines', () => {
    const b = new LogBuffer(3, false);
    b.push('a\nb\nc\nd\ne\n');
    assert.deepEqual(b.lines.map((l) => l.text), ['c', 'd', 'e']);
    assert.equal(b.dropped, 2);
  });

  it('drops what a resumed stream repeats', () => {
    const b = new LogBuffer(100, true);
    b.push('2025-01-01T12:00:00.1Z one\n2025-01-01T12:00:00.2Z two\n');
    b.resume();
    // sinceTime has whole seconds, so the new stream starts with lines already shown.
    b.push('2025-01-01T12:00:00.1Z one\n2025-01-01T12:00:00.2Z two\n2025-01-01T12:00:00.25Z three\n');
    assert.deepEqual(b.lines.map((l) => l.text), ['one', 'two', 'three']);
  });

  it('compares fractional seconds of any length', () => {
    assert.equal(tsAfter('2025-01-01T12:00:00.25Z', '2025-01-01T12:00:00.2Z'), true);
    assert.equal(tsAfter('2025-01-01T12:00:00.2Z', '2025-01-01T12:00:00.200000000Z'), false);
    assert.equal(tsAfter('2025-01-01T12:00:01Z', '2025-01-01T12:00:00.9Z'), true);
  });
});

describe('log search', () => {
  it('highlights every literal match, case-insensitively', () => {
    const p = searchPattern('err');
    assert.ok(p instanceof RegExp);
    assert.deepEqual(segments('Error: err.', p), [
      { text: 'Err', hit: true },
      { text: 'or: ', hit: false },
      { text: 'err', hit: true },
      { text: '.', hit: false },
    ]);
    // Literal, not a regular expression.
    const dot = searchPattern('a.b');
    assert.ok(dot instanceof RegExp);
    assert.equal(matches({ n: 0, text: 'axb' }, dot), false);
  });

  it('takes /regex/ and reports a bad one', () => {
    const p = searchPattern('/GET \\/api\\S*/');
    assert.ok(p instanceof RegExp);
    assert.equal(countMatches([{ n: 0, text: 'GET /api/v1' }, { n: 1, text: 'POST /api' }], p), 1);
    assert.ok(searchPattern('/(/') instanceof Error);
    assert.equal(searchPattern('  '), undefined);
  });
});

describe('log request', () => {
  it('follows, tails and always asks for timestamps; resuming uses sinceTime', () => {
    const o = { container: 'app', follow: true, previous: false, tailLines: 100, sinceSeconds: 0 };
    assert.equal(logPath('default', 'web-1', o), '/api/v1/namespaces/default/pods/web-1/log?container=app&follow=true&timestamps=true&tailLines=100');
    assert.equal(logPath('default', 'web-1', o, '2025-01-01T12:00:00.123456Z'), '/api/v1/namespaces/default/pods/web-1/log?container=app&follow=true&timestamps=true&sinceTime=2025-01-01T12%3A00%3A00Z');
    assert.equal(logPath('ns', 'p', { ...o, previous: true, sinceSeconds: 60 }), '/api/v1/namespaces/ns/pods/p/log?container=app&previous=true&timestamps=true&tailLines=100&sinceSeconds=60');
  });
});
