// Tests for the pod QoS class: best effort without CPU or memory settings, guaranteed only when
// every container's requests equal its limits for both, burstable otherwise.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podQOSClass } from './pod-qos.js';
import type { PodSpec } from './pod-spec.js';
import type { ResourceRequirements } from './container.js';

const spec = (...resources: ResourceRequirements[]): PodSpec => ({
  containers: resources.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r })),
});

describe('podQOSClass', () => {
  it('is BestEffort without CPU or memory requests and limits', () => {
    assert.equal(podQOSClass(spec({}, { limits: { 'example.com/gpu': '1' } })), 'BestEffort');
    assert.equal(podQOSClass(spec({ requests: { cpu: '0' } })), 'BestEffort');
  });

  it('is Guaranteed when every container has equal CPU and memory requests and limits', () => {
    const r = { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '0.5', memory: '1024Mi' } };
    assert.equal(podQOSClass(spec(r, r)), 'Guaranteed');
  });

  it('is Burstable when a container lacks a limit or requests less', () => {
    assert.equal(podQOSClass(spec({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, {})), 'Burstable');
    assert.equal(podQOSClass(spec({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })), 'Burstable');
    assert.equal(podQOSClass(spec({ requests: { memory: '64Mi' } })), 'Burstable');
  });
});
