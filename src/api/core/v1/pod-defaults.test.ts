// Tests for pod defaulting: the spec-wide defaults, image pull policy by tag, container and probe
// defaults, volume defaults, request-from-limit defaults, and which defaults only real pods get.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPod, defaultPodSpec } from './pod-defaults.js';
import { defaultPullPolicy } from './container-defaults.js';
import type { Pod } from './pod.js';
import type { PodSpec } from './pod-spec.js';

const pod = (spec: PodSpec): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec });

describe('defaultPullPolicy', () => {
  it('pulls always for latest or untagged images', () => {
    assert.equal(defaultPullPolicy('nginx'), 'Always');
    assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultPullPolicy('registry.local:5000/team/app'), 'Always');
    assert.equal(defaultPullPolicy('registry.local:5000/team/app:latest'), 'Always');
  });

  it('pulls if not present for other tags and digests', () => {
    assert.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
    assert.equal(defaultPullPolicy('registry.local:5000/team/app:v2'), 'IfNotPresent');
    assert.equal(defaultPullPolicy('busybox@sha256:' + 'a'.repeat(64)), 'IfNotPresent');
  });
});

describe('defaultPod', () => {
  it('fills in the spec-wide and admission defaults', () => {
    const p = pod({ containers: [{ name: 'app', image: 'nginx' }] });
    defaultPod(p);
    const s = p.spec!;
    assert.equal(s.restartPolicy, 'Always');
    assert.equal(s.dnsPolicy, 'ClusterFirst');
    assert.equal(s.schedulerName, 'default-scheduler');
    assert.equal(s.terminationGracePeriodSeconds, 30);
    assert.deepEqual(s.securityContext, {});
    assert.equal(s.enableServiceLinks, true);
    assert.equal(s.serviceAccountName, 'default');
    assert.equal(s.serviceAccount, 'default');
    assert.equal(s.priority, 0);
    assert.equal(s.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(s.tolerations, undefined);
  });

  it('keeps what the user set', () => {
    const p = pod({
      containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'Never' }],
      restartPolicy: 'Never',
      dnsPolicy: 'Default',
      terminationGracePeriodSeconds: 5,
      enableServiceLinks: false,
      serviceAccount: 'builder',
    });
    defaultPod(p);
    assert.equal(p.spec!.restartPolicy, 'Never');
    assert.equal(p.spec!.dnsPolicy, 'Default');
    assert.equal(p.spec!.terminationGracePeriodSeconds, 5);
    assert.equal(p.spec!.enableServiceLinks, false);
    assert.equal(p.spec!.containers[0]!.imagePullPolicy, 'Never');
    assert.equal(p.spec!.serviceAccountName, 'builder', 'the deprecated field is carried over');
  });

  it('does not guess a priority when a priority class is named', () => {
    const p = pod({ containers: [{ name: 'app', image: 'x' }], priorityClassName: 'high' });
    defaultPod(p);
    assert.equal(p.spec!.priority, undefined);
  });

  it('defaults containers, ports and probes', () => {
    const p = pod({
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 3 },
          startupProbe: { grpc: { port: 9000 } },
          lifecycle: { preStop: { httpGet: { port: 80, path: '/quit' } } },
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        },
      ],
    });
    defaultPod(p);
    const c = p.spec!.containers[0]!;
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
    assert.equal(c.terminationMessagePath, '/dev/termination-log');
    assert.equal(c.terminationMessagePolicy, 'File');
    assert.deepEqual(c.resources, {});
    assert.deepEqual(c.ports!.map((x) => x.protocol), ['TCP', 'UDP']);
    assert.deepEqual(c.livenessProbe, {
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.equal(c.readinessProbe!.periodSeconds, 3);
    assert.equal(c.readinessProbe!.timeoutSeconds, 1);
    assert.equal(c.startupProbe!.grpc!.service, '');
    assert.deepEqual(c.lifecycle!.preStop!.httpGet, { port: 80, path: '/quit', scheme: 'HTTP' });
    assert.equal(c.env![0]!.valueFrom!.fieldRef!.apiVersion, 'v1');
  });

  it('defaults requests to limits where only limits are set', () => {
    const p = pod({
      containers: [{ name: 'app', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m' } } }],
      initContainers: [{ name: 'init', image: 'x', resources: { limits: { memory: 64 } } }],
    });
    defaultPod(p);
    assert.deepEqual(p.spec!.containers[0]!.resources!.requests, { cpu: '250m', memory: '1Gi' });
    assert.deepEqual(p.spec!.initContainers![0]!.resources, { limits: { memory: '64' }, requests: { memory: '64' } });
  });

  it('copies container ports to host ports on the host network', () => {
    const p = pod({ hostNetwork: true, containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 8080 }] }] });
    defaultPod(p);
    assert.equal(p.spec!.containers[0]!.ports![0]!.hostPort, 8080);
  });

  it('defaults volumes', () => {
    const p = pod({
      containers: [{ name: 'app', image: 'x' }],
      volumes: [
        { name: 'scratch' },
        { name: 'cfg', configMap: { name: 'cfg' } },
        { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
        { name: 'host', hostPath: { path: '/var/log' } },
        {
          name: 'token',
          projected: {
            sources: [{ serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }],
          },
        },
        { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: 1 } } } } } },
      ],
    });
    defaultPod(p);
    const [scratch, cfg, sec, host, token, eph] = p.spec!.volumes!;
    assert.deepEqual(scratch, { name: 'scratch', emptyDir: {} });
    assert.equal(cfg!.configMap!.defaultMode, 420);
    assert.equal(sec!.secret!.defaultMode, 0o400);
    assert.equal(host!.hostPath!.type, '');
    assert.equal(token!.projected!.defaultMode, 420);
    assert.equal(token!.projected!.sources![0]!.serviceAccountToken!.expirationSeconds, 3600);
    assert.equal(token!.projected!.sources![1]!.downwardAPI!.items![0]!.fieldRef!.apiVersion, 'v1');
    assert.equal(eph!.ephemeral!.volumeClaimTemplate!.spec.volumeMode, 'Filesystem');
    assert.equal(eph!.ephemeral!.volumeClaimTemplate!.spec.resources!.requests!.storage, '1');
  });
});

describe('defaultPodSpec (templates)', () => {
  it('leaves pod-only defaults to defaultPod', () => {
    const spec: PodSpec = { containers: [{ name: 'app', image: 'x:1', resources: { limits: { cpu: '1' } } }] };
    defaultPodSpec(spec);
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
    assert.equal(spec.enableServiceLinks, undefined);
    assert.equal(spec.serviceAccountName, undefined);
    assert.equal(spec.priority, undefined);
    assert.equal(spec.containers[0]!.resources!.requests, undefined);
  });
});
