// The agent's CRI log reading: record parsing (full, partial, untagged, malformed), finding the
// last N records from the end of the file, and serving a log with tail, since, timestamps,
// limitBytes, joined partial lines and follow (new lines arrive, and the stream ends once the
// container stops).
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parseRecord, tailOffset } from './cri-log.js';
import { logOptions, serveLog, type LogOptions } from './logs.js';

const T = (s: number): string => `2024-01-01T00:00:${String(s).padStart(2, '0')}.000000000Z`;

function capture(): { res: ServerResponse; text(): string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer, _e, cb) {
      text += chunk.toString();
      cb();
    },
  });
  const res = Object.assign(w, { writeHead: () => res, flushHeaders: () => undefined }) as unknown as ServerResponse;
  return { res, text: () => text };
}

describe('CRI log records', () => {
  it('parses full, partial and untagged records and rejects malformed ones', () => {
    assert.deepEqual(parseRecord(`${T(1)} stdout F hello world`), { time: T(1), ms: Date.parse(T(1)), stream: 'stdout', partial: false, text: 'hello world' });
    assert.equal(parseRecord(`${T(1)} stderr P part`)?.partial, true);
    assert.equal(parseRecord(`${T(1)} stdout F `)?.text, '');
    assert.equal(parseRecord(`${T(1)} stdout legacy line`)?.text, 'legacy line');
    assert.equal(parseRecord('garbage'), undefined);
    assert.equal(parseRecord(`${T(1)} other F x`), undefined);
  });
});

describe('serving a CRI log', () => {
  let dir = '';
  let file = '';
  const serve = async (o: Partial<LogOptions>, running = false): Promise<string> => {
    const c = capture();
    await serveLog(c.res, file, { follow: false, previous: false, timestamps: false, ...o }, { running: () => Promise.resolve(running), signal: new AbortController().signal, pollMs: 20 });
    return c.text();
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cri-log-'));
    file = join(dir, '0.log');
    await writeFile(
      file,
      [`${T(1)} stdout F one`, `${T(2)} stderr F two`, `${T(3)} stdout P thr`, `${T(3)} stdout P e`, `${T(4)} stdout F e!`, `${T(5)} stdout F four`, ''].join('\n'),
    );
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it('finds where the last N records start', async () => {
    const fh = await open(file, 'r');
    const { size } = await fh.stat();
    const text = (await fh.readFile()).toString();
    assert.equal(text.slice(await tailOffset(fh, size, 1)), `${T(5)} stdout F four\n`);
    assert.equal(await tailOffset(fh, size, 6), 0);
    assert.equal(await tailOffset(fh, size, 100), 0);
    assert.equal(await tailOffset(fh, size, 0), size);
    await fh.close();
  });

  it('joins partial lines and applies timestamps, since, tail and limitBytes', async () => {
    assert.equal(await serve({}), 'one\ntwo\nthree!\nfour\n');
    assert.equal(await serve({ timestamps: true, tailLines: 1 }), `${T(5)} four\n`);
    assert.equal(await serve({ timestamps: true, sinceMs: Date.parse(T(3)) }), `${T(3)} three!\n${T(5)} four\n`);
    assert.equal(await serve({ limitBytes: 6 }), 'one\ntw');
    assert.equal(await serve({ tailLines: 0 }), '');
  });

  it('follows a growing file and ends when the container stops', async () => {
    const c = capture();
    let running = true;
    const done = serveLog(c.res, file, { follow: true, previous: false, timestamps: false, tailLines: 1 }, { running: () => Promise.resolve(running), signal: new AbortController().signal, pollMs: 20 });
    await appendFile(file, `${T(6)} stdout F five\n`);
    const deadline = Date.now() + 3000;
    while (!c.text().includes('five') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    running = false;
    await appendFile(file, `${T(7)} stdout F six\n`);
    await done;
    assert.equal(c.text(), 'four\nfive\nsix\n');
  });

  it('reads the query as the kubelet does', () => {
    const o = logOptions(new URLSearchParams('follow=true&tailLines=3&timestamps=1&sinceSeconds=10&limitBytes=5'), 100_000);
    assert.deepEqual(o, { follow: true, previous: false, timestamps: true, tailLines: 3, limitBytes: 5, sinceMs: 90_000 });
    assert.throws(() => logOptions(new URLSearchParams('tailLines=-1'), 0), /tailLines/);
  });
});
