// Pod lifecycle on a `tug up` node with kubectl 1.32 (root only): graceful deletion runs the
// preStop hook before SIGTERM (both leave marks in a hostPath volume the test reads), `kubectl get
// pods` shows Terminating meanwhile, a container that ignores SIGTERM is killed once
// terminationGracePeriodSeconds have passed and not before, postStart runs before the container
// counts as started; and restarting `tug up` on the same data dir re-adopts running pods — same
// containers, same IP, restartCount 0 — instead of restarting them.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTugUp, type TugUp } from '../support/tug-up.js';
import { eventually } from '../support/eventually.js';
import { apply, createNamespace, deployment, hostDirs, httpOk, IMAGE, isRoot, pod, podsWithLabel, rolledOut, statusColumn, waitCondition, waitPod } from './lib.js';

const readOr = (path: string): Promise<string> => readFile(path, 'utf8').catch(() => '');

describe('real pods on tug up: lifecycle', { skip: !isRoot && 'needs root', timeout: 240_000 }, () => {
  let cluster: TugUp | undefined;
  const get = async (): Promise<TugUp> => (cluster ??= await startTugUp());
  after(async () => {
    await cluster?.destroy();
  });
  // Removed once the cluster (and the pods mounting them) are gone.
  const dirs = hostDirs();

  it('runs preStop, then SIGTERM, shows Terminating, and removes the pod once the container exits', async () => {
    const c = await get();
    const ns = await createNamespace(c, 'graceful');
    const marks = await dirs.make('tug-e2e-marks-');
    const log = join(marks, 'log');
    await apply(
      c,
      ns,
      pod('polite', {
        terminationGracePeriodSeconds: 20,
        containers: [
          {
            name: 'main',
            image: IMAGE,
            command: ['sh', '-c', "trap 'echo term >> /marks/log; exit 0' TERM; echo started >> /marks/log; while true; do sleep 1; done"],
            lifecycle: {
              postStart: { exec: { command: ['sh', '-c', 'echo poststart >> /marks/log'] } },
              preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /marks/log; sleep 3'] } },
            },
            volumeMounts: [{ name: 'marks', mountPath: '/marks' }],
          },
        ],
        volumes: [{ name: 'marks', hostPath: { path: marks, type: 'Directory' } }],
      }),
    );
    await waitCondition(c, ns, 'Ready', ['pod/polite']);
    assert.deepEqual((await readOr(log)).split('\n').filter(Boolean).sort(), ['poststart', 'started']);
    const t0 = Date.now();
    await c.kubectlOk(['delete', 'pod', 'polite', '-n', ns, '--wait=false']);
    assert.equal(await statusColumn(c, ns, 'polite'), 'Terminating');
    await eventually(async () => (await c.kubectl(['get', 'pod', 'polite', '-n', ns])).code !== 0, { timeoutMs: 30_000, intervalMs: 100, what: 'pod polite gone' });
    const took = Date.now() - t0;
    const lines = (await readOr(log)).split('\n').filter(Boolean);
    assert.deepEqual(lines.slice(-2), ['prestop', 'term'], `marks: ${lines.join(',')}`);
    // preStop sleeps 3 s before SIGTERM is sent; the trap exits within a second after it.
    assert.ok(took >= 3000, `deleted after ${took} ms, before preStop finished`);
    assert.ok(took < 12_000, `deleted after ${took} ms; the grace period of 20 s was not needed`);
  });

  it('kills a container that ignores SIGTERM once the grace period has passed', async () => {
    const c = await get();
    const ns = await createNamespace(c, 'stubborn');
    // sh as PID 1 without a trap ignores SIGTERM.
    await apply(c, ns, pod('stubborn', { terminationGracePeriodSeconds: 5, containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', 'while true; do sleep 1; done'] }] }));
    await waitCondition(c, ns, 'Ready', ['pod/stubborn']);
    const t0 = Date.now();
    await c.kubectlOk(['delete', 'pod', 'stubborn', '-n', ns, '--wait=false']);
    let sawTerminating = '';
    await eventually(
      async () => {
        const r = await c.kubectl(['get', 'pod', 'stubborn', '-n', ns, '-o', 'json'], {});
        if (r.code !== 0) return true;
        const p = JSON.parse(r.stdout) as { status?: { containerStatuses?: { state?: { terminated?: { exitCode?: number } } }[] } };
        const code = p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode;
        if (code !== undefined) sawTerminating = String(code);
        return false;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'pod stubborn gone' },
    );
    const took = Date.now() - t0;
    assert.ok(took >= 5000, `deleted after ${took} ms, before the 5 s grace period`);
    assert.ok(took < 12_000, `deleted after ${took} ms, long after the 5 s grace period`);
    if (sawTerminating) assert.equal(sawTerminating, '137', 'killed with SIGKILL');
  });

  it('re-adopts running pods when tug up restarts on the same data dir', async () => {
    const c = await get();
    const ns = await createNamespace(c, 'adopt');
    const command = ['sh', '-c', 'mkdir -p /www; date +%s%N > /www/started; exec httpd -f -p 8080 -h /www'];
    await apply(c, ns, deployment('keeper', 1, { terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: IMAGE, command }] }));
    await rolledOut(c, ns, 'keeper');
    const [before] = await podsWithLabel(c, ns, 'app=keeper');
    assert.ok(before);
    const ip = before.status?.podIP ?? '';
    const started = await httpOk(`http://${ip}:8080/started`);

    assert.equal(await c.stop(), 0, c.output());
    // Pods outlive the agent.
    assert.equal(await httpOk(`http://${ip}:8080/started`), started);
    cluster = await startTugUp({ again: c });
    const again = cluster;
    const adopted = await waitPod(again, ns, before.metadata.name, (p) => p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready === true, { what: 'Running and ready after the restart' });
    assert.equal(adopted.metadata.uid, before.metadata.uid);
    assert.equal(adopted.status?.podIP, ip);
    assert.equal(adopted.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.equal(adopted.status?.containerStatuses?.[0]?.containerID, before.status?.containerStatuses?.[0]?.containerID);
    assert.equal(adopted.status?.startTime, before.status?.startTime);
    assert.equal(await httpOk(`http://${ip}:8080/started`), started, 'the same process still serves');
    assert.equal((await podsWithLabel(again, ns, 'app=keeper')).length, 1);
    // The re-adopted pod is still managed: deleting it works, and the Deployment replaces it.
    await again.kubectlOk(['delete', 'pod', before.metadata.name, '-n', ns, '--timeout=30s'], { timeoutMs: 40_000 });
    await rolledOut(again, ns, 'keeper');
    const [replacement] = await podsWithLabel(again, ns, 'app=keeper');
    assert.notEqual(replacement?.metadata.uid, before.metadata.uid);
    assert.ok(await httpOk(`http://${replacement?.status?.podIP ?? ''}:8080/started`));
  });
});
