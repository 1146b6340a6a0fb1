import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/objects.ts';
import { countHealth, podHealth } from './health.ts';
import { nodeUsage, podRequests } from './node-usage.ts';

const pod = (node: string, cpu: string, memory: string, phase = 'Running'): KubeObject => ({
  metadata: { name: `${node}-${cpu}` },
  spec: { nodeName: node, containers: [{ name: 'a', resources: { requests: { cpu, memory } } }] },
  status: { phase },
});

describe('node usage', () => {
  it('sums live pods’ requests per node against allocatable', () => {
    const nodes: KubeObject[] = [
      { metadata: { name: 'n1' }, spec: { unschedulable: true }, status: { allocatable: { cpu: '4', memory: '8Gi' }, conditions: [{ type: 'Ready', status: 'True' }] } },
      { metadata: { name: 'n2' }, status: { allocatable: { cpu: '2000m', memory: '4Gi' } } },
    ];
    const u = nodeUsage(nodes, [pod('n1', '500m', '1Gi'), pod('n1', '1', '512Mi'), pod('n1', '8', '8Gi', 'Succeeded'), pod('n2', '100m', '128Mi'), pod('gone', '1', '1Gi')]);
    assert.deepEqual(
      u.map((n) => [n.name, n.requested.cpu, n.requested.memory / 2 ** 20, n.allocatable.cpu, n.pods, n.unschedulable]),
      [
        ['n1', 1.5, 1536, 4, 2, true],
        ['n2', 0.1, 128, 2, 1, false],
      ],
    );
  });

  it('counts the larger of containers and init containers, sidecars alongside', () => {
    const p: KubeObject = {
      spec: {
        initContainers: [
          { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
          { name: 'migrate', resources: { requests: { cpu: '2' } } },
        ],
        containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }],
        overhead: { cpu: '10m' },
      },
    };
    assert.equal(podRequests(p).cpu.toFixed(3), '2.110');
  });
});

describe('workload health', () => {
  it('sorts pods and deployments into healthy, progressing and failing', () => {
    const ready: KubeObject = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    const crash: KubeObject = { status: { phase: 'Running', containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }] } };
    assert.equal(podHealth(ready), 'healthy');
    assert.equal(podHealth(crash), 'failing');
    assert.equal(podHealth({ status: { phase: 'Pending' } }), 'progressing');
    const dep = (s: Record<string, unknown>, replicas = 2): KubeObject => ({ metadata: { generation: 3 }, spec: { replicas }, status: { observedGeneration: 3, ...s } });
    assert.deepEqual(
      countHealth('Deployment', [
        dep({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
        dep({ replicas: 3, updatedReplicas: 2, availableReplicas: 2 }),
        dep({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
      ]),
      { healthy: 1, progressing: 1, failing: 1 },
    );
  });
});
