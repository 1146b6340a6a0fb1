// Tests for the apps/v1 and batch/v1 tables: exact cells for realistic deployments, replicasets,
// statefulsets, daemonsets, controllerrevisions, jobs and cronjobs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../../api/kind.js';
import { controllerrevisions, daemonsets, deployments, replicasets, statefulsets } from './apps.js';
import { cronjobs, jobs } from './batch.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const meta = (name: string, created = '2024-04-28T09:00:00Z', extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'default',
  creationTimestamp: created,
  ...extra,
});
const template = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'nginx', image: 'nginx:1.25' },
      { name: 'sidecar', image: 'busybox:1.36' },
    ],
  },
};

describe('deployments', () => {
  const d: ApiObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
      template,
    },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };

  it('READY is ready/desired; wide adds containers, images and the selector', () => {
    assert.deepEqual(deployments.cells(d, NOW), [
      'web',
      '2/3',
      3,
      2,
      '3d3h',
      'nginx,sidecar',
      'nginx:1.25,busybox:1.36',
      'app=web,tier notin (db)',
    ]);
  });

  it('a new deployment without status', () => {
    const fresh = { ...d, metadata: meta('web', '2024-05-01T11:59:50Z'), status: {} };
    assert.deepEqual(deployments.cells(fresh, NOW).slice(0, 5), ['web', '0/3', 0, 0, '10s']);
  });

  it('column names and wide priorities', () => {
    assert.deepEqual(
      deployments.columns.filter((c) => c.priority === 0).map((c) => c.name),
      ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
    );
    assert.deepEqual(
      deployments.columns.filter((c) => c.priority === 1).map((c) => c.name),
      ['Containers', 'Images', 'Selector'],
    );
  });
});

describe('replicasets, statefulsets, daemonsets, controllerrevisions', () => {
  it('replicasets print integers and <none> for an empty selector', () => {
    const rs: ApiObject = {
      metadata: meta('web-7d9c8'),
      spec: { replicas: 3, selector: {}, template },
      status: { replicas: 3, readyReplicas: 1 },
    };
    assert.deepEqual(replicasets.cells(rs, NOW), ['web-7d9c8', 3, 3, 1, '3d3h', 'nginx,sidecar', 'nginx:1.25,busybox:1.36', '<none>']);
  });

  it('statefulsets print READY as ready/desired', () => {
    const ss: ApiObject = { metadata: meta('db'), spec: { replicas: 2, template }, status: { readyReplicas: 2 } };
    assert.deepEqual(statefulsets.cells(ss, NOW), ['db', '2/2', '3d3h', 'nginx,sidecar', 'nginx:1.25,busybox:1.36']);
  });

  it('daemonsets print counts and the node selector', () => {
    const ds: ApiObject = {
      metadata: meta('agent'),
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'a', image: 'agent:1' }] } },
      },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    };
    assert.deepEqual(daemonsets.cells(ds, NOW), ['agent', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '3d3h', 'a', 'agent:1', 'app=agent']);
    const noSel: ApiObject = { metadata: meta('x'), spec: { template: { spec: { containers: [] } } } };
    assert.equal(daemonsets.cells(noSel, NOW)[6], '<none>');
  });

  it('controllerrevisions name their controller as kind.group/name', () => {
    const cr: ApiObject = {
      metadata: meta('db-6b9f', '2024-05-01T11:00:00Z', {
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u1', controller: true }],
      }),
      revision: 2,
    };
    assert.deepEqual(controllerrevisions.cells(cr, NOW), ['db-6b9f', 'statefulset.apps/db', 2, '60m']);
    const orphan: ApiObject = { metadata: meta('x'), revision: 1 };
    assert.equal(controllerrevisions.cells(orphan, NOW)[1], '<none>');
  });
});

describe('jobs', () => {
  const job = (spec: Record<string, unknown>, status: Record<string, unknown>, extra: Record<string, unknown> = {}): ApiObject => ({
    metadata: meta('pi', '2024-05-01T11:50:00Z', extra),
    spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, template, ...spec },
    status,
  });

  it('a completed job', () => {
    const j = job(
      { completions: 1, parallelism: 1 },
      {
        succeeded: 1,
        startTime: '2024-05-01T11:50:00Z',
        completionTime: '2024-05-01T11:50:42Z',
        conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }],
      },
    );
    assert.deepEqual(jobs.cells(j, NOW), [
      'pi',
      'Complete',
      '1/1',
      '42s',
      '10m',
      'nginx,sidecar',
      'nginx:1.25,busybox:1.36',
      'batch.kubernetes.io/controller-uid=abc',
    ]);
  });

  it('a running job measures its duration up to now', () => {
    const j = job({ completions: 5, parallelism: 2 }, { succeeded: 2, active: 2, startTime: '2024-05-01T11:57:30Z' });
    assert.deepEqual(jobs.cells(j, NOW).slice(1, 4), ['Running', '2/5', '2m30s']);
  });

  it('work-queue jobs without completions', () => {
    assert.equal(jobs.cells(job({ parallelism: 3 }, { succeeded: 0 }), NOW)[2], '0/1 of 3');
    assert.equal(jobs.cells(job({}, {}), NOW)[2], '0/1');
    assert.equal(jobs.cells(job({}, {}), NOW)[3], '');
  });

  it('status precedence', () => {
    assert.equal(jobs.cells(job({}, { conditions: [{ type: 'Failed', status: 'True' }] }), NOW)[1], 'Failed');
    assert.equal(jobs.cells(job({}, { conditions: [{ type: 'Suspended', status: 'True' }] }), NOW)[1], 'Suspended');
    assert.equal(jobs.cells(job({}, {}, { deletionTimestamp: '2024-05-01T11:59:00Z' }), NOW)[1], 'Terminating');
    assert.equal(jobs.cells(job({}, { conditions: [{ type: 'FailureTarget', status: 'True' }] }), NOW)[1], 'FailureTarget');
    assert.equal(jobs.cells(job({}, { conditions: [{ type: 'Complete', status: 'False' }] }), NOW)[1], 'Running');
  });
});

describe('cronjobs', () => {
  it('prints schedule, time zone, suspend, active and last schedule', () => {
    const cj: ApiObject = {
      metadata: meta('backup'),
      spec: {
        schedule: '*/5 * * * *',
        timeZone: 'Europe/Paris',
        suspend: false,
        jobTemplate: { spec: { template } },
      },
      status: { active: [{ name: 'backup-1' }], lastScheduleTime: '2024-05-01T11:55:00Z' },
    };
    assert.deepEqual(cronjobs.cells(cj, NOW), [
      'backup',
      '*/5 * * * *',
      'Europe/Paris',
      'False',
      1,
      '5m',
      '3d3h',
      'nginx,sidecar',
      'nginx:1.25,busybox:1.36',
      '<none>',
    ]);
  });

  it('never scheduled, no time zone', () => {
    const cj: ApiObject = { metadata: meta('x'), spec: { schedule: '@daily', suspend: true, jobTemplate: { spec: { template } } }, status: {} };
    assert.deepEqual(cronjobs.cells(cj, NOW).slice(2, 6), ['<none>', 'True', 0, '<none>']);
  });

  it('has the 1.32 columns', () => {
    assert.deepEqual(
      cronjobs.columns.map((c) => c.name),
      ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector'],
    );
  });
});
