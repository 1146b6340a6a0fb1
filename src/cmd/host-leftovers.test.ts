// Finding a node's leftover processes by the data dir their command line names: whole path
// components only (a sibling dir with a longer name is someone else's), the process asking and
// its ancestors never, and stopping one also stops the children it had (as nginx workers are to
// their master). Real processes, started and stopped by PID; no root needed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isAlive, namesPathUnder, processesUnder, terminateUnder, waitForExit } from './host-leftovers.js';

describe('namesPathUnder', () => {
  it('matches the dir and paths below it, alone or inside an argument, and nothing that only starts the same', () => {
    assert.ok(namesPathUnder('/d/agent', '/d/agent'));
    assert.ok(namesPathUnder('/d/agent/ingress', '/d/agent/'));
    assert.ok(namesPathUnder('--data-dir=/d/agent', '/d/agent'));
    assert.ok(namesPathUnder('nginx: master process /usr/sbin/nginx -p /d/agent/ingress -c /d/agent/ingress/nginx.conf', '/d/agent'));
    assert.ok(!namesPathUnder('/d/agent2/containerd', '/d/agent'));
    assert.ok(!namesPathUnder('/x/d/agent', '/d/agent'));
    assert.ok(!namesPathUnder('/d', '/d/agent'));
  });
});

describe('processes under a data dir', () => {
  const started: ChildProcess[] = [];
  let dir = '';
  after(async () => {
    for (const c of started) if (c.pid && isAlive(c.pid)) c.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A shell named after `path` ($0) with a `sleep` child, like a master and its worker. */
  const shell = (path: string): ChildProcess => {
    const c = spawn('sh', ['-c', 'sleep 300 & wait', path], { stdio: 'ignore' });
    started.push(c);
    return c;
  };

  it('stops the processes naming the dir and their children, and leaves a sibling dir alone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tug-leftovers-'));
    const ours = shell(join(dir, 'agent', 'ingress'));
    const sibling = shell(join(dir, 'agent2'));
    // The sleeps start a moment after their shells.
    const childOf = async (pid: number): Promise<number> => {
      for (let i = 0; i < 200; i++) {
        const found = (await processesUnder([join(dir, 'agent')])).find((f) => f.pid === pid)?.descendants[0];
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no child of ${pid}`);
    };
    const worker = await childOf(ours.pid ?? 0);
    assert.deepEqual((await processesUnder([join(dir, 'agent')])).map((f) => f.pid), [ours.pid]);
    // SIGTERM reaches the shell; its sleep outlives it unless stopped as a descendant.
    assert.equal(await terminateUnder([join(dir, 'agent')], 2_000), 1);
    assert.ok(await waitForExit(ours.pid ?? 0, 5_000));
    assert.ok(await waitForExit(worker, 5_000), 'the child of the stopped process is left');
    assert.ok(isAlive(sibling.pid ?? 0), 'a process of another dir was stopped');
  });
});
