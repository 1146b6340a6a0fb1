// Unit tests of what a real node reads about its machine: /proc/meminfo, the default route's
// interface, os-release, and the capacity/allocatable/nodeInfo built from this machine.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { parseQuantity } from '../../lib/quantity.js';
import { defaultRouteInterface, machineNodeSettings, memoryBytes, osImage } from './machine.js';

describe('machine facts', () => {
  it('parses meminfo, the route table and os-release', () => {
    assert.equal(memoryBytes('MemTotal:       24684092 kB\nMemFree: 1 kB\n'), 24684092 * 1024);
    const routes = 'Iface\tDestination\tGateway\nbr0\t000AF40A\t00000000\neth1\t00000000\t010200C0\n';
    assert.equal(defaultRouteInterface(routes), 'eth1');
    assert.equal(defaultRouteInterface('Iface\tDestination\n'), undefined);
    assert.equal(osImage('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  });

  it('reports capacity and allocatable from this machine', () => {
    const s = machineNodeSettings({ dataDir: tmpdir(), nodeIP: '10.0.0.5' });
    assert.equal(s.internalIP, '10.0.0.5');
    assert.equal(s.capacity.pods, '110');
    assert.ok(Number(s.capacity.cpu) >= 1);
    const mem = parseQuantity(s.capacity.memory ?? '')?.value ?? 0;
    const allocMem = parseQuantity(s.allocatable?.memory ?? '')?.value ?? 0;
    assert.ok(mem > 100 * 1024 * 1024, `memory ${s.capacity.memory}`);
    assert.equal(mem - allocMem, 100 * 1024 * 1024);
    const disk = parseQuantity(s.capacity['ephemeral-storage'] ?? '')?.value ?? 0;
    const allocDisk = parseQuantity(s.allocatable?.['ephemeral-storage'] ?? '')?.value ?? 0;
    assert.ok(disk > 0 && allocDisk < disk && allocDisk > disk * 0.85);
    assert.match(s.bootID ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(s.kernelVersion);
  });
});
