// How real containers fail and recover on a `tug up` node, as kubectl 1.32 shows them (root only):
// exits with restartPolicy Never (Completed, Error), a crashing container reaching
// CrashLoopBackOff with Kubernetes' back-off, a failing httpGet liveness probe restarting its
// container, an exec readiness probe flipping the pod's Ready condition both ways (the test
// toggles the file the probe checks through a hostPath volume), and a container allocating beyond
// its memory limit being OOMKilled.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apply, condition, createNamespace, eventsOf, getPod, hostDirs, IMAGE, isRoot, readyColumn, sharedCluster, shPod, statusColumn, waitPod, waitStatusColumn } from './lib.js';

describe('real pods on tug up: failures and probes', { skip: !isRoot && 'needs root', timeout: 180_000 }, () => {
  const cluster = sharedCluster();
  const dirs = hostDirs();

  it('shows Completed and Error for containers that exit 0 and 3 under restartPolicy Never', async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'exits');
    await apply(c, ns, shPod('ok', 'echo fine', { restartPolicy: 'Never' }), shPod('bad', 'echo broken >&2; exit 3', { restartPolicy: 'Never' }));
    const ok = await waitPod(c, ns, 'ok', (p) => p.status?.phase === 'Succeeded', { what: 'Succeeded' });
    assert.equal(ok.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(ok.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
    assert.equal(condition(ok, 'Ready'), 'False');
    assert.equal(await statusColumn(c, ns, 'ok'), 'Completed');
    const bad = await waitPod(c, ns, 'bad', (p) => p.status?.phase === 'Failed', { what: 'Failed' });
    const t = bad.status?.containerStatuses?.[0]?.state?.terminated;
    assert.equal(t?.exitCode, 3);
    assert.equal(t?.reason, 'Error');
    assert.ok(t?.startedAt && t.finishedAt && Date.parse(t.finishedAt) >= Date.parse(t.startedAt), JSON.stringify(t));
    assert.equal(bad.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.equal(await statusColumn(c, ns, 'bad'), 'Error');
  });

  it('backs off a crashing container into CrashLoopBackOff', async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'crash');
    await apply(c, ns, shPod('crasher', 'echo crashing; exit 1'));
    await waitStatusColumn(c, ns, 'crasher', 'CrashLoopBackOff', 60_000);
    const p = await getPod(c, ns, 'crasher');
    const s = p.status?.containerStatuses?.[0];
    assert.equal(p.status?.phase, 'Running', 'a crash-looping pod stays Running');
    assert.equal(s?.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.match(s?.state?.waiting?.message ?? '', /^back-off (10|20|40)s restarting failed container=main pod=crasher_crash\(/);
    assert.ok((s?.restartCount ?? 0) >= 1, `restartCount ${s?.restartCount}`);
    assert.equal(s?.lastState?.terminated?.exitCode, 1);
    assert.equal(s?.lastState?.terminated?.reason, 'Error');
    assert.equal(s?.ready, false);
    assert.ok((await eventsOf(c, ns, 'crasher')).some((e) => e.startsWith('BackOff: Back-off restarting failed container main')), 'a BackOff event');
    // The back-off doubles: no restart sooner than 10 s after the first one.
    const first = s?.restartCount ?? 0;
    await new Promise((r) => setTimeout(r, 5000));
    assert.ok(((await getPod(c, ns, 'crasher')).status?.containerStatuses?.[0]?.restartCount ?? 0) <= first + 1, 'restarts are backed off');
  });

  it('restarts a container whose httpGet liveness probe fails', async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'liveness');
    // Healthy for 4 s after each start, then /healthz is gone and httpd answers 404.
    const script = 'mkdir -p /www; echo ok > /www/healthz; (sleep 4; rm /www/healthz) & exec httpd -f -p 8080 -h /www';
    await apply(
      c,
      ns,
      shPod('live', script, { container: { livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 1 }, ports: [{ containerPort: 8080 }] } }),
    );
    const p = await waitPod(c, ns, 'live', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, { timeoutMs: 60_000, what: 'restarted by its liveness probe' });
    const s = p.status?.containerStatuses?.[0];
    assert.ok(s?.lastState?.terminated, `lastState: ${JSON.stringify(s?.lastState)}`);
    // httpd does not catch SIGTERM: it dies of it (143), or of SIGKILL after the grace period (137).
    assert.ok([137, 143].includes(s.lastState.terminated.exitCode ?? -1), `exit code ${s.lastState.terminated.exitCode}`);
    const events = await eventsOf(c, ns, 'live');
    assert.ok(events.some((e) => /^Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404/.test(e)), events.join('\n'));
    assert.ok(events.some((e) => e === 'Killing: Container main failed liveness probe, will be restarted'), events.join('\n'));
  });

  it('flips the Ready condition both ways with an exec readiness probe', async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'readiness');
    const ctl = await dirs.make('tug-e2e-ready-');
    await writeFile(join(ctl, 'ready'), '');
    await apply(
      c,
      ns,
      shPod('flip', 'exec sleep 3600', {
        container: { readinessProbe: { exec: { command: ['test', '-f', '/ctl/ready'] }, periodSeconds: 1, failureThreshold: 1 }, volumeMounts: [{ name: 'ctl', mountPath: '/ctl' }] },
        spec: { volumes: [{ name: 'ctl', hostPath: { path: ctl, type: 'Directory' } }] },
      }),
    );
    await waitPod(c, ns, 'flip', (p) => condition(p, 'Ready') === 'True', { what: 'Ready' });
    assert.equal(await readyColumn(c, ns, 'flip'), '1/1');
    await unlink(join(ctl, 'ready'));
    const notReady = await waitPod(c, ns, 'flip', (p) => condition(p, 'Ready') === 'False', { timeoutMs: 20_000, what: 'not Ready' });
    assert.equal(condition(notReady, 'ContainersReady'), 'False');
    assert.equal(notReady.status?.containerStatuses?.[0]?.ready, false);
    assert.ok(notReady.status?.containerStatuses?.[0]?.state?.running, 'still running: readiness never restarts');
    assert.equal(notReady.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.equal(await readyColumn(c, ns, 'flip'), '0/1');
    assert.equal(await statusColumn(c, ns, 'flip'), 'Running');
    await writeFile(join(ctl, 'ready'), '');
    await waitPod(c, ns, 'flip', (p) => condition(p, 'Ready') === 'True', { timeoutMs: 20_000, what: 'Ready again' });
    assert.equal(await readyColumn(c, ns, 'flip'), '1/1');
  });

  it('reports a container allocating beyond its memory limit as OOMKilled', async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'oom');
    // The shell holds 200 MB in a variable against a 50 MiB limit.
    await apply(
      c,
      ns,
      shPod('hog', 'x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo survived; sleep 3600', {
        container: { resources: { limits: { memory: '50Mi' }, requests: { memory: '50Mi' } } },
      }),
    );
    const p = await waitPod(c, ns, 'hog', (x) => x.status?.containerStatuses?.[0]?.lastState?.terminated !== undefined || x.status?.containerStatuses?.[0]?.state?.terminated !== undefined, {
      timeoutMs: 60_000,
      what: 'the container to be killed',
    });
    const s = p.status?.containerStatuses?.[0];
    const t = s?.lastState?.terminated ?? s?.state?.terminated;
    assert.equal(t?.reason, 'OOMKilled', JSON.stringify(s));
    assert.equal(t?.exitCode, 137);
    const spec = JSON.parse(await c.kubectlOk(['get', 'pod', 'hog', '-n', ns, '-o', 'jsonpath={.spec.containers[0].resources}'])) as { limits?: { memory?: string } };
    assert.equal(spec.limits?.memory, '50Mi');
    assert.equal(p.status?.containerStatuses?.[0]?.image, IMAGE);
  });
});
