// The node's condition events: one per condition whose status changed, named as Kubernetes' kubelet
// names them; nothing when nothing changed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeCondition } from '../../api/core/v1/index.js';
import { conditionEvents } from './node-events.js';

const conds = (ready: string, memory = 'False'): NodeCondition[] => [
  { type: 'MemoryPressure', status: memory },
  { type: 'DiskPressure', status: 'False' },
  { type: 'PIDPressure', status: 'False' },
  { type: 'Ready', status: ready },
];

describe('node condition events', () => {
  it('reports every condition on the first status', () => {
    assert.deepEqual(
      conditionEvents('n1', undefined, conds('False')).map((e) => e.message),
      ['Node n1 status is now: NodeHasSufficientMemory', 'Node n1 status is now: NodeHasNoDiskPressure', 'Node n1 status is now: NodeHasSufficientPID', 'Node n1 status is now: NodeNotReady'],
    );
  });

  it('reports only what changed, and nothing when nothing did', () => {
    assert.deepEqual(conditionEvents('n1', conds('False'), conds('True')).map((e) => e.reason), ['NodeReady']);
    assert.deepEqual(conditionEvents('n1', conds('Unknown'), conds('True', 'True')).map((e) => e.reason), ['NodeHasInsufficientMemory', 'NodeReady']);
    assert.deepEqual(conditionEvents('n1', conds('True'), conds('True')), []);
  });
});
