// Differential test against Kubernetes' own patch code: `kubectl patch --local` applies
// strategic merge, merge and JSON patches client-side with the same libraries the real apiserver
// uses, so for each case our result (with the project's real Deployment and Pod schemas) must be
// identical to kubectl's, list order included (key order does not matter). Skipped when the kubectl binary is not installed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { Deployment } from '../../api/apps/v1/deployment.js';
import { Pod } from '../../api/core/v1/pod.js';
import { applyPatch } from './index.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const TYPES = { strategic: 'application/strategic-merge-patch+json', merge: 'application/merge-patch+json', json: 'application/json-patch+json' };

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a.example/x', 'b.example/y'] },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
          { name: 'sidecar', image: 'busybox', args: ['sleep', '3600'] },
        ],
        volumes: [{ name: 'cache', emptyDir: {} }],
        tolerations: [{ key: 'k1', value: 'v1' }],
      },
    },
  },
};
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1' }] },
  spec: {
    containers: [{ name: 'app', image: 'nginx', volumeMounts: [{ name: 'v', mountPath: '/a' }], ports: [{ containerPort: 53, protocol: 'UDP' }] }],
    volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', hostPath: { path: '/tmp' } }],
  },
};

const tmpl = (spec: unknown) => ({ spec: { template: { spec } } });
type Case = { name: string; type: keyof typeof TYPES; patch: unknown; on?: 'pod' };
const cases: Case[] = [
  { name: 'image bump', type: 'strategic', patch: tmpl({ containers: [{ name: 'sidecar', image: 'busybox:2' }] }) },
  { name: 'containers added around existing ones', type: 'strategic', patch: tmpl({ containers: [{ name: 'z' }, { name: 'app', image: 'n2' }, { name: 'y' }] }) },
  { name: 'env delete and add', type: 'strategic', patch: tmpl({ containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }, { name: 'C', value: 'c' }] }] }) },
  { name: 'list replace', type: 'strategic', patch: tmpl({ containers: [{ name: 'only', image: 'a' }, { $patch: 'replace' }] }) },
  {
    name: '$setElementOrder with an addition',
    type: 'strategic',
    patch: tmpl({ '$setElementOrder/containers': [{ name: 'app' }, { name: 'log' }, { name: 'sidecar' }], containers: [{ name: 'log', image: 'f' }] }),
  },
  { name: '$retainKeys strategy switch', type: 'strategic', patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } } },
  { name: 'finalizers union', type: 'strategic', patch: { metadata: { finalizers: ['c.example/z', 'a.example/x'] } } },
  { name: '$deleteFromPrimitiveList', type: 'strategic', patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example/x'] } } },
  { name: 'label null and map replace', type: 'strategic', patch: { metadata: { labels: { tier: null } }, spec: { selector: { matchLabels: { $patch: 'replace', k: 'v' } } } } },
  { name: 'template replace (rollout undo)', type: 'strategic', patch: { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'old' }] } } } } },
  { name: 'new list with a deleted item', type: 'strategic', patch: tmpl({ initContainers: [{ name: 'gone', $patch: 'delete' }, { name: 'init' }] }) },
  { name: 'pod volume source switch', type: 'strategic', on: 'pod', patch: { spec: { volumes: [{ name: 'w', $retainKeys: ['name', 'emptyDir'], emptyDir: {} }] } } },
  { name: 'pod mounts and ports', type: 'strategic', on: 'pod', patch: { spec: { containers: [{ name: 'app', volumeMounts: [{ name: 'w', mountPath: '/b' }], ports: [{ containerPort: 53, protocol: 'TCP' }] }] } } },
  { name: 'owner reference delete by uid', type: 'strategic', on: 'pod', patch: { metadata: { ownerReferences: [{ uid: 'u1', $patch: 'delete' }] } } },
  { name: 'merge patch nulls and lists', type: 'merge', patch: { metadata: { labels: { tier: null } }, spec: { template: { spec: { containers: [{ name: 'z', args: null }] } } } } },
  {
    name: 'json patch ops',
    type: 'json',
    patch: [
      { op: 'add', path: '/metadata/annotations', value: { 'a~b/c': 'v' } },
      { op: 'move', from: '/metadata/annotations/a~0b~1c', path: '/metadata/labels/moved' },
      { op: 'copy', from: '/spec/template/spec/containers/0', path: '/spec/template/spec/containers/-' },
      { op: 'test', path: '/metadata/labels/absent', value: null },
    ],
  },
];

describe('patches agree with kubectl patch --local', { skip: !existsSync(KUBECTL) && 'kubectl 1.32 not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tug-patch-oracle-'));
  const files = { deployment: join(dir, 'deployment.json'), pod: join(dir, 'pod.json') };
  writeFileSync(files.deployment, JSON.stringify(deployment));
  writeFileSync(files.pod, JSON.stringify(pod));

  for (const c of cases) {
    it(c.name, () => {
      const [original, schema, file]: [unknown, TSchema, string] = c.on === 'pod' ? [pod, Pod, files.pod] : [deployment, Deployment, files.deployment];
      const args = ['patch', '--local', '-f', file, '-o', 'json', '--type', c.type, '-p', JSON.stringify(c.patch)];
      const theirs: unknown = JSON.parse(execFileSync(KUBECTL, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString());
      const ours = applyPatch(TYPES[c.type], original, c.patch, schema);
      assert.deepEqual(ours, theirs);
    });
  }

  after(() => rmSync(dir, { recursive: true, force: true }));
});
