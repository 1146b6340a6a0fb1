// Real pods on a `tug up` node, driven by kubectl 1.32 (root only): a Deployment of the test image
// serving a ConfigMap-mounted index.html on every pod IP (and serving the new text once the
// ConfigMap changes); the seed's two-container Pod (webapp + sidecar, adapted to busybox) sharing
// an emptyDir and localhost, with `envFrom` a ConfigMap and the Service's environment variables;
// a pod held in ContainerCreating by a missing ConfigMap and in Init:0/1 by a waiting init
// container; a Job to Completion; and a local-path PersistentVolumeClaim whose data outlives the
// pod that wrote it. Traffic goes only to this cluster's pod IPs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../support/eventually.js';
import { apply, condition, createNamespace, deployment, getPod, hostDirs, httpGet, httpOk, IMAGE, isRoot, pod, podsWithLabel, rolledOut, sharedCluster, statusColumn, waitCondition, waitPod, waitStatusColumn } from './lib.js';

describe('real pods on tug up: workloads', { skip: !isRoot && 'needs root', timeout: 240_000 }, () => {
  const cluster = sharedCluster();
  const dirs = hostDirs();

  it('serves a ConfigMap-mounted page from every pod of a Deployment, and the page follows ConfigMap updates', async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'deploy');
    const cm = (text: string): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-content' }, data: { 'index.html': text } });
    const web = {
      name: 'web',
      image: IMAGE,
      command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
      ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/index.html', port: 8080 }, periodSeconds: 1 },
      volumeMounts: [{ name: 'content', mountPath: '/www' }],
    };
    const content = { name: 'content', configMap: { name: 'web-content' } };
    await apply(c, ns, cm('hello from a ConfigMap\n'), deployment('web', 2, { terminationGracePeriodSeconds: 2, containers: [web], volumes: [content] }));
    await rolledOut(c, ns, 'web', 90);
    const pods = await podsWithLabel(c, ns, 'app=web');
    assert.equal(pods.length, 2);
    const ips = pods.map((p) => p.status?.podIP ?? '');
    assert.equal(new Set(ips).size, 2, `two distinct pod IPs: ${ips.join(', ')}`);
    const prefix = c.cidr.split('.').slice(0, 2).join('.') + '.';
    for (const p of pods) {
      assert.ok(p.status?.podIP?.startsWith(prefix), `pod IP ${p.status?.podIP} outside ${c.cidr}`);
      assert.equal(p.status?.phase, 'Running');
      assert.equal(condition(p, 'Ready'), 'True');
      assert.equal(p.spec.nodeName, c.node);
      assert.match(p.status?.containerStatuses?.[0]?.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
      assert.equal(await httpOk(`http://${p.status?.podIP}:8080/`), 'hello from a ConfigMap\n');
    }
    assert.match(await c.kubectlOk(['get', 'deployment', 'web', '-n', ns]), /web\s+2\/2\s+2\s+2/);

    // A changed ConfigMap reaches the running pods' volume without a restart.
    await apply(c, ns, cm('updated in place\n'));
    for (const ip of ips) {
      await eventually(async () => (await httpGet(`http://${ip}:8080/`)).body === 'updated in place\n', { timeoutMs: 90_000, intervalMs: 500, what: `updated page on ${ip}` });
    }
    for (const p of await podsWithLabel(c, ns, 'app=web')) assert.equal(p.status?.containerStatuses?.[0]?.restartCount, 0);
  });

  it("runs the seed's two-container pod: envFrom a ConfigMap, Service variables, a shared volume and localhost between the containers", async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'seed');
    // The seed's manifests, with nginx and mongo replaced by the busybox test image.
    await apply(
      c,
      ns,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'webapp-config' }, data: { WEBAPP_ENV: 'production', DATABASE_URL: 'mongodb://database-service:27017/mydb' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'webapp-service' }, spec: { selector: { app: 'my-webapp' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] } },
    );
    const clusterIP = (await c.kubectlOk(['get', 'service', 'webapp-service', '-n', ns, '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const webapp = {
      name: 'webapp',
      image: IMAGE,
      command: ['sh', '-c', 'echo "WEBAPP_ENV=$WEBAPP_ENV DATABASE_URL=$DATABASE_URL SVC=$WEBAPP_SERVICE_SERVICE_HOST:$WEBAPP_SERVICE_SERVICE_PORT" > /www/env.txt; exec httpd -f -p 80 -h /www'],
      ports: [{ containerPort: 80 }],
      envFrom: [{ configMapRef: { name: 'webapp-config' } }],
      volumeMounts: [{ name: 'shared', mountPath: '/www' }],
    };
    const database = {
      name: 'database',
      image: IMAGE,
      // Writes into the shared volume and reads the webapp over the pod's localhost.
      command: ['sh', '-c', 'echo "written by the sidecar" > /data/index.html; while true; do wget -q -O /tmp/seen http://localhost:80/env.txt && cp /tmp/seen /data/seen-by-sidecar.txt; sleep 1; done'],
      volumeMounts: [{ name: 'shared', mountPath: '/data' }],
    };
    const spec = { terminationGracePeriodSeconds: 2, containers: [webapp, database], volumes: [{ name: 'shared', emptyDir: {} }] };
    await apply(c, ns, pod('webapp-with-db', spec, { app: 'my-webapp' }));
    await waitCondition(c, ns, 'Ready', ['pod/webapp-with-db']);
    const seed = await getPod(c, ns, 'webapp-with-db');
    assert.deepEqual(seed.status?.containerStatuses?.map((s) => [s.name, s.ready, s.restartCount]).sort(), [
      ['database', true, 0],
      ['webapp', true, 0],
    ]);
    assert.match(await c.kubectlOk(['get', 'pod', 'webapp-with-db', '-n', ns]), /webapp-with-db\s+2\/2\s+Running\s+0/);
    const ip = seed.status?.podIP ?? '';
    const expected = `WEBAPP_ENV=production DATABASE_URL=mongodb://database-service:27017/mydb SVC=${clusterIP}:80\n`;
    assert.equal(await httpOk(`http://${ip}:80/env.txt`), expected);
    assert.equal(await httpOk(`http://${ip}:80/index.html`), 'written by the sidecar\n');
    assert.equal(await httpOk(`http://${ip}:80/seen-by-sidecar.txt`), expected);
  });

  it('shows ContainerCreating while a ConfigMap volume is missing and Init:0/1 while an init container runs, then Running', async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'phases');
    await apply(
      c,
      ns,
      pod('needs-config', {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', 'cat /cfg/k; exec sleep 3600'], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }],
        volumes: [{ name: 'cfg', configMap: { name: 'arrives-later' } }],
      }),
    );
    await waitStatusColumn(c, ns, 'needs-config', 'ContainerCreating', 30_000);
    await sleep(3000);
    assert.equal(await statusColumn(c, ns, 'needs-config'), 'ContainerCreating', 'still waiting for its ConfigMap');
    const waiting = await getPod(c, ns, 'needs-config');
    assert.equal(waiting.status?.phase, 'Pending');
    assert.equal(waiting.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');
    await apply(c, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'arrives-later' }, data: { k: 'v' } });
    await waitStatusColumn(c, ns, 'needs-config', 'Running', 90_000);

    // The init container waits for a file the test writes through a hostPath volume.
    const ctl = await dirs.make('tug-e2e-ctl-');
    await apply(
      c,
      ns,
      pod('with-init', {
        terminationGracePeriodSeconds: 1,
        initContainers: [{ name: 'wait', image: IMAGE, command: ['sh', '-c', 'until [ -f /ctl/go ]; do sleep 1; done'], volumeMounts: [{ name: 'ctl', mountPath: '/ctl' }] }],
        containers: [{ name: 'main', image: IMAGE, command: ['sleep', '3600'] }],
        volumes: [{ name: 'ctl', hostPath: { path: ctl, type: 'Directory' } }],
      }),
    );
    await waitStatusColumn(c, ns, 'with-init', 'Init:0/1', 60_000);
    const init = await getPod(c, ns, 'with-init');
    assert.equal(init.status?.phase, 'Pending');
    assert.equal(condition(init, 'Initialized'), 'False');
    assert.ok(init.status?.initContainerStatuses?.[0]?.state?.running, 'the init container is running');
    assert.equal(init.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'PodInitializing');
    await writeFile(join(ctl, 'go'), '');
    await waitStatusColumn(c, ns, 'with-init', 'Running', 30_000);
    const done = await getPod(c, ns, 'with-init');
    assert.equal(done.status?.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(condition(done, 'Initialized'), 'True');
  });

  it('runs a Job to Completion', async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'job');
    await apply(c, ns, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'count' },
      spec: {
        backoffLimit: 0,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'count', image: IMAGE, command: ['sh', '-c', 'for i in 1 2 3; do echo $i; done'] }] } },
      },
    });
    await waitCondition(c, ns, 'complete', ['job/count']);
    const job = JSON.parse(await c.kubectlOk(['get', 'job', 'count', '-n', ns, '-o', 'json'])) as { status?: { succeeded?: number; failed?: number } };
    assert.equal(job.status?.succeeded, 1);
    assert.equal(job.status?.failed ?? 0, 0);
    const [worker] = await podsWithLabel(c, ns, 'job-name=count');
    assert.ok(worker);
    assert.equal(worker.status?.phase, 'Succeeded');
    assert.equal(worker.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
    assert.equal(worker.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(await statusColumn(c, ns, worker.metadata.name), 'Completed');
    assert.match(await c.kubectlOk(['get', 'job', 'count', '-n', ns]), /count\s+Complete\s+1\/1/);
  });

  it('keeps data on a local-path PersistentVolumeClaim after the pod that wrote it is deleted', async () => {
    const c = cluster.get();
    const ns = await createNamespace(c, 'pvc');
    await apply(c, ns, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Mi' } } } });
    // WaitForFirstConsumer: nothing is provisioned until a pod uses the claim.
    await sleep(1000);
    const pending = JSON.parse(await c.kubectlOk(['get', 'pvc', 'data', '-n', ns, '-o', 'json'])) as { spec?: { storageClassName?: string }; status?: { phase?: string } };
    assert.equal(pending.spec?.storageClassName, 'local-path');
    assert.equal(pending.status?.phase, 'Pending');

    const token = `persisted-${Date.now()}`;
    const volume = { name: 'data', persistentVolumeClaim: { claimName: 'data' } };
    const mount = { name: 'data', mountPath: '/data' };
    await apply(c, ns, pod('writer', { restartPolicy: 'Never', containers: [{ name: 'w', image: IMAGE, command: ['sh', '-c', `echo ${token} > /data/file`], volumeMounts: [mount] }], volumes: [volume] }));
    await waitPod(c, ns, 'writer', (p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed', { timeoutMs: 90_000, what: 'writer finished' }).then((p) =>
      assert.equal(p.status?.phase, 'Succeeded', JSON.stringify(p.status)),
    );
    const pvc = JSON.parse(await c.kubectlOk(['get', 'pvc', 'data', '-n', ns, '-o', 'json'])) as { spec?: { volumeName?: string }; status?: { phase?: string } };
    assert.equal(pvc.status?.phase, 'Bound');
    const pv = JSON.parse(await c.kubectlOk(['get', 'pv', pvc.spec?.volumeName ?? '', '-o', 'json'])) as { spec?: { local?: { path?: string } } };
    if (pv.spec?.local?.path) dirs.add(pv.spec.local.path);
    await c.kubectlOk(['delete', 'pod', 'writer', '-n', ns, '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });

    const readerSpec = { terminationGracePeriodSeconds: 1, containers: [{ name: 'r', image: IMAGE, command: ['httpd', '-f', '-p', '8080', '-h', '/data'], volumeMounts: [mount] }], volumes: [volume] };
    await apply(c, ns, pod('reader', readerSpec));
    await waitCondition(c, ns, 'Ready', ['pod/reader']);
    const reader = await getPod(c, ns, 'reader');
    assert.equal(await httpOk(`http://${reader.status?.podIP ?? ''}:8080/file`), `${token}\n`);
  });
});
