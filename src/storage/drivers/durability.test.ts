// Crash durability: a child process (test/support/storage-writer.ts) creates keys and prints each
// acknowledged revision; the test kills it with SIGKILL mid-stream, reopens the store and checks
// that every acknowledged key is there with its value and revision. For sqlite this is the test
// of the WAL + synchronous=NORMAL choice; for etcd, that a create is acknowledged only once etcd
// has committed it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startEtcd } from '../../../test/support/etcd.js';
import type { Backend } from '../backend.js';
import { EtcdBackend } from './etcd.js';
import { SqliteBackend } from './sqlite.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const writer = join(root, 'test/support/storage-writer.ts');
const dir = mkdtempSync(join(tmpdir(), 'tug-durability-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Acknowledged {
  index: number;
  revision: number;
}

/** Runs the writer until it has acknowledged `killAfter` creates, then SIGKILLs it. */
async function writeAndKill(args: string[], killAfter: number): Promise<Acknowledged[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => {
    child.once('exit', (_code, signal) => resolve(signal));
  });
  const acked: Acknowledged[] = [];
  // Keep reading after the kill: lines already in the pipe were acknowledged before it.
  for await (const line of createInterface({ input: child.stdout })) {
    const [index, revision] = line.split(' ').map(Number) as [number, number];
    acked.push({ index, revision });
    if (acked.length === killAfter && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }
  const signal = await exited;
  assert.equal(signal, 'SIGKILL', `writer should have been killed mid-stream; it ended on its own:\n${stderr}`);
  assert.ok(acked.length >= killAfter);
  return acked;
}

async function assertAllPresent(backend: Backend, prefix: string, acked: Acknowledged[]): Promise<void> {
  for (const { index, revision } of acked) {
    const kv = await backend.get(`${prefix}${index}`);
    assert.ok(kv, `acknowledged key ${prefix}${index} (revision ${revision}) is missing`);
    assert.equal(new TextDecoder().decode(kv.value), `value-${index}`);
    assert.equal(kv.modRevision, revision);
  }
}

describe('crash durability', () => {
  it('sqlite keeps every acknowledged create when the writer is SIGKILLed', async () => {
    const path = join(dir, 'state.db');
    const acked = await writeAndKill(['--dsn', `sqlite://${path}`, '--prefix', '/dur/'], 500);
    const backend = new SqliteBackend({ path });
    try {
      await assertAllPresent(backend, '/dur/', acked);
      // Writes continue from where the killed process left off.
      const next = await backend.create('/dur/after', new Uint8Array([1]));
      assert.ok(next.modRevision > acked[acked.length - 1]!.revision);
    } finally {
      await backend.close();
    }
  });

  it('etcd keeps every acknowledged create when the writer is SIGKILLed', async () => {
    const etcd = await startEtcd();
    const backend = new EtcdBackend({ endpoints: [etcd.endpoint], keyPrefix: '/durability' });
    try {
      const acked = await writeAndKill(
        ['--dsn', `etcd://${new URL(etcd.endpoint).host}`, '--key-prefix', '/durability', '--prefix', '/dur/'],
        100,
      );
      await assertAllPresent(backend, '/dur/', acked);
    } finally {
      await backend.close();
      await etcd.stop();
    }
  });
});
