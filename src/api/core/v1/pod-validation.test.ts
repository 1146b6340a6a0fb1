// Tests for pod validation: a rich realistic manifest decodes without unknown fields and
// validates clean; common mistakes produce Kubernetes' errors at exact field paths; templates are
// reported under their caller's path. Update rules are in pod-update-validation.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeObject } from '../../check.js';
import { formatFieldError, type FieldError } from '../../../lib/field-errors.js';
import { podKind, Pod } from './pod.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { defaultPodSpec } from './pod-defaults.js';
import type { PodSpec } from './pod-spec.js';
import type { ApiObject } from '../../kind.js';

const richManifest = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'shop', labels: { app: 'web', tier: 'frontend' }, annotations: { 'example.com/owner': 'team-a' } },
  spec: {
    initContainers: [
      { name: 'migrate', image: 'registry.local:5000/shop/migrate:v3', command: ['/bin/migrate', '--up'], envFrom: [{ secretRef: { name: 'db' } }] },
      {
        name: 'log-shipper',
        image: 'fluent/fluent-bit:3.1',
        restartPolicy: 'Always',
        volumeMounts: [{ name: 'logs', mountPath: '/var/log/app', readOnly: true }],
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] } },
        resources: { requests: { cpu: '50m', memory: '32Mi' } },
      },
    ],
    containers: [
      {
        name: 'app',
        image: 'registry.local:5000/shop/web@sha256:' + 'b'.repeat(64),
        args: ['--port=8080'],
        workingDir: '/srv',
        ports: [
          { name: 'http', containerPort: 8080 },
          { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
        ],
        env: [
          { name: 'MODE', value: 'production' },
          { name: 'app.kubernetes.io-style name', value: 'relaxed names are allowed' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'TEAM', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['example.com/owner']" } } },
          { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          { name: 'FEATURES', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'features.json', optional: true } } },
        ],
        envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'web-config' } }],
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi', 'ephemeral-storage': '1Gi' } },
        resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
        volumeMounts: [
          { name: 'config', mountPath: '/etc/web', readOnly: true },
          { name: 'logs', mountPath: '/var/log/app', subPathExpr: '$(POD_NAME)' },
          { name: 'cache', mountPath: '/cache' },
          { name: 'data', mountPath: '/data', mountPropagation: 'None' },
          { name: 'certs', mountPath: '/etc/ssl/private', readOnly: true, recursiveReadOnly: 'IfPossible' },
        ],
        livenessProbe: {
          httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'liveness' }] },
          initialDelaySeconds: 10,
          periodSeconds: 20,
          terminationGracePeriodSeconds: 15,
        },
        readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, successThreshold: 2 },
        startupProbe: { tcpSocket: { port: 8080 }, failureThreshold: 30, periodSeconds: 2 },
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo started'] } }, preStop: { sleep: { seconds: 5 } } },
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 10001,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        stdin: false,
        tty: false,
      },
      { name: 'grpc-api', image: 'shop/api:2.0.1', ports: [{ containerPort: 50051, name: 'grpc' }], livenessProbe: { grpc: { port: 50051, service: 'shop.Api' } } },
    ],
    volumes: [
      { name: 'config', configMap: { name: 'web-config', items: [{ key: 'nginx.conf', path: 'conf/nginx.conf', mode: 0o440 }] } },
      { name: 'logs', emptyDir: { sizeLimit: '500Mi' } },
      { name: 'cache', emptyDir: { medium: 'Memory' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
      { name: 'certs', secret: { secretName: 'web-tls', defaultMode: 0o400 } },
      { name: 'host-time', hostPath: { path: '/etc/localtime', type: 'File' } },
      {
        name: 'kube-api-access',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3607, audience: 'api' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
      { name: 'podinfo', downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'requests.cpu' } }] } },
      { name: 'shared', nfs: { server: 'nfs.local', path: '/exports/shop', readOnly: true } },
      { name: 'scratch', ephemeral: { volumeClaimTemplate: { metadata: { labels: { app: 'web' } }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '1Gi' } } } } } },
      { name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { provider: 'vault' } } },
    ],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['pod-template-hash'] } },
        ],
      },
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['cache'] }] } },
        ],
      },
    },
    tolerations: [
      { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ],
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, minDomains: 2 },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    securityContext: { fsGroup: 2000, supplementalGroups: [3000], sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }], fsGroupChangePolicy: 'OnRootMismatch' },
    imagePullSecrets: [{ name: 'regcred' }],
    hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.internal'] }],
    dnsConfig: { nameservers: ['1.1.1.1'], searches: ['shop.svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] },
    priorityClassName: 'web-critical',
    terminationGracePeriodSeconds: 45,
    activeDeadlineSeconds: 86400,
    hostname: 'web-0',
    subdomain: 'web',
    shareProcessNamespace: true,
    readinessGates: [{ conditionType: 'example.com/lb-ready' }],
    os: { name: 'linux' },
  },
};

/** Decodes like the API server, applies pod defaults and returns the validation errors. */
function check(manifest: unknown, old?: ApiObject): string[] {
  const decoded = decodeObject(Pod, manifest);
  assert.deepEqual(decoded.unknownFields, []);
  assert.deepEqual(decoded.errors, []);
  podKind.defaults(decoded.object);
  return podKind.validate(decoded.object, old).map(formatFieldError);
}

/** A minimal valid pod with `edit` applied to its spec. */
function podWith(edit: (spec: PodSpec) => void): Pod {
  const spec: PodSpec = { containers: [{ name: 'app', image: 'nginx:1.27' }] };
  edit(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
}

const errorsOf = (p: Pod, old?: Pod): FieldError[] => {
  podKind.defaults(p as ApiObject);
  if (old) podKind.defaults(old as ApiObject);
  return podKind.validate(p as ApiObject, old as ApiObject | undefined);
};
const messages = (p: Pod, old?: Pod): string[] => errorsOf(p, old).map(formatFieldError);

describe('a realistic pod', () => {
  it('decodes with no unknown fields and validates clean', () => {
    assert.deepEqual(check(structuredClone(richManifest)), []);
  });

  it('has its field-selector values', () => {
    const decoded = decodeObject(Pod, structuredClone(richManifest)).object;
    podKind.defaults(decoded);
    assert.deepEqual(podKind.fields(decoded), {
      'spec.nodeName': '',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'web',
      'spec.hostNetwork': 'false',
      'status.phase': '',
      'status.podIP': '',
      'status.nominatedNodeName': '',
    });
  });
});

describe('pod validation errors', () => {
  it('requires an image', () => {
    assert.deepEqual(messages(podWith((s) => delete s.containers[0]!.image)), ['spec.containers[0].image: Required value']);
  });

  it('requires at least one container', () => {
    assert.deepEqual(messages(podWith((s) => (s.containers = []))), ['spec.containers: Required value']);
  });

  it('rejects duplicate container names across init and app containers', () => {
    const p = podWith((s) => {
      s.initContainers = [{ name: 'app', image: 'busybox' }];
      s.containers.push({ name: 'Bad_Name', image: 'x' });
    });
    const got = messages(p);
    assert.ok(got.includes('spec.containers[0].name: Duplicate value: "app"'), got.join('\n'));
    assert.ok(got.some((m) => m.startsWith('spec.containers[1].name: Invalid value: "Bad_Name"')), got.join('\n'));
  });

  it('rejects bad ports', () => {
    const p = podWith((s) => {
      s.containers[0]!.ports = [
        { containerPort: 70000 },
        { containerPort: 80, name: 'web', protocol: 'HTTP' as 'TCP' },
        { containerPort: 81, name: 'web' },
      ];
    });
    assert.deepEqual(messages(p), [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[2].name: Duplicate value: "web"',
    ]);
  });

  it('rejects a volume mount of an unknown volume and a mount without a path', () => {
    const p = podWith((s) => {
      s.volumes = [{ name: 'data', emptyDir: {} }];
      s.containers[0]!.volumeMounts = [
        { name: 'nope', mountPath: '/x' },
        { name: 'data', mountPath: '' },
      ];
    });
    const got = errorsOf(p);
    assert.deepEqual(
      got.map((e) => [e.field, e.type]),
      [
        ['spec.containers[0].volumeMounts[0].name', 'FieldValueInvalid'],
        ['spec.containers[0].volumeMounts[1].mountPath', 'FieldValueRequired'],
      ],
    );
    assert.equal(got[0]!.value, 'nope');
  });

  it('rejects volumes with no source, two sources, or a duplicate name', () => {
    const p: Pod = podWith((s) => {
      s.volumes = [
        { name: 'a', emptyDir: {}, hostPath: { path: '/tmp' } },
        { name: 'a', configMap: { name: 'c' } },
        { name: 'b', persistentVolumeClaim: { claimName: '' } },
      ];
    });
    assert.deepEqual(messages(p), [
      'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[1].name: Duplicate value: "a"',
      'spec.volumes[2].persistentVolumeClaim.claimName: Required value',
    ]);
  });

  it('requires probes to have exactly one handler and liveness successThreshold 1', () => {
    const p = podWith((s) => {
      s.containers[0]!.livenessProbe = { successThreshold: 3 };
      s.containers[0]!.readinessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 } };
    });
    assert.deepEqual(messages(p), [
      'spec.containers[0].livenessProbe: Required value: must specify a handler type',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1',
      'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    ]);
  });

  it('keeps probes off plain init containers but allows them on sidecars', () => {
    const p = podWith((s) => {
      s.initContainers = [
        { name: 'init', image: 'x', readinessProbe: { exec: { command: ['true'] } } },
        { name: 'sidecar', image: 'x', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } },
      ];
    });
    assert.deepEqual(messages(p), ['spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always']);
  });

  it('checks resource quantities and that requests fit within limits', () => {
    const p = podWith((s) => {
      s.containers[0]!.resources = { requests: { cpu: '2', memory: 'lots' }, limits: { cpu: '1' } };
    });
    assert.deepEqual(messages(p), [
      "spec.containers[0].resources.requests[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
  });

  it('checks env vars and their sources', () => {
    const p = podWith((s) => {
      s.containers[0]!.env = [
        { name: 'A=B' },
        { name: 'X', value: 'v', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } },
        { name: 'Y', valueFrom: {} },
      ];
    });
    const got = messages(p);
    assert.ok(got[0]?.startsWith('spec.containers[0].env[0].name: Invalid value: "A=B"'), got.join('\n'));
    assert.ok(got.includes('spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty'));
    assert.ok(got.some((m) => m.startsWith('spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.bogus"')));
    assert.ok(got.some((m) => m.startsWith('spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of')));
  });

  it('checks enums, tolerations and node selectors', () => {
    const p = podWith((s) => {
      s.restartPolicy = 'Sometimes' as 'Always';
      s.dnsPolicy = 'None';
      s.containers[0]!.imagePullPolicy = 'Maybe' as 'Always';
      s.tolerations = [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }];
      s.nodeSelector = { 'bad key!': 'v' };
    });
    const fields = errorsOf(p).map((e) => `${e.field} ${e.type}`);
    assert.deepEqual(fields, [
      'spec.containers[0].imagePullPolicy FieldValueNotSupported',
      'spec.restartPolicy FieldValueNotSupported',
      'spec.dnsConfig FieldValueRequired',
      'spec.nodeSelector FieldValueInvalid',
      'spec.tolerations[0].operator FieldValueInvalid',
      'spec.tolerations[1].effect FieldValueInvalid',
    ]);
  });

  it('forbids ephemeral containers on create', () => {
    const p = podWith((s) => (s.ephemeralContainers = [{ name: 'debug', image: 'busybox' }]));
    assert.deepEqual(messages(p), ['spec.ephemeralContainers: Forbidden: cannot be set on create']);
  });
});

describe('pod templates', () => {
  it('reports errors under the caller\'s path', () => {
    const spec: PodSpec = { containers: [{ name: 'web', image: '' }] };
    defaultPodSpec(spec);
    const errs = validatePodTemplateSpec({ metadata: { labels: { app: 'web' } }, spec }, 'spec.template').map(formatFieldError);
    assert.deepEqual(errs, ['spec.template.spec.containers[0].image: Required value']);
  });

  it('checks template labels and forbids ephemeral containers', () => {
    const spec: PodSpec = { containers: [{ name: 'web', image: 'x' }], ephemeralContainers: [{ name: 'dbg', image: 'x' }] };
    defaultPodSpec(spec);
    const errs = validatePodTemplateSpec({ metadata: { labels: { app: '-bad-' } }, spec }, 'spec.template');
    assert.deepEqual(
      errs.map((e) => e.field),
      ['spec.template.metadata.labels', 'spec.template.spec.ephemeralContainers'],
    );
  });
});
