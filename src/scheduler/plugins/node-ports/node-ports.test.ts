// Tests for NodePorts: host ports conflict on the same protocol and port, with the wildcard
// address conflicting with any address.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, filterOn, handleFor, makeNode, makePod } from '../../testing/fixtures.js';
import { create } from './index.js';

describe('NodePorts', () => {
  const onIp = makePod('web', {
    nodeName: 'n1',
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1', protocol: 'TCP' }] }] },
  });
  const h = handleFor(clusterOf([makeNode('n1'), makeNode('n2')], [onIp]));
  const wanting = (port: number, ip?: string, protocol: 'TCP' | 'UDP' = 'TCP') =>
    makePod('p', { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: port, protocol, ...(ip ? { hostIP: ip } : {}) }] }] } });

  it('rejects a taken port (the wildcard address overlaps every address) and passes free ones', () => {
    assert.deepEqual(filterOn(create, h, wanting(8080), 'n1')?.reasons, ["node(s) didn't have free ports for the requested pod ports"]);
    assert.notEqual(filterOn(create, h, wanting(8080, '10.0.0.1'), 'n1'), undefined);
    assert.equal(filterOn(create, h, wanting(8080, '10.0.0.2'), 'n1'), undefined);
    assert.equal(filterOn(create, h, wanting(8080, undefined, 'UDP'), 'n1'), undefined);
    assert.equal(filterOn(create, h, wanting(8080), 'n2'), undefined);
  });
});
