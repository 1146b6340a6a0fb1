import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { ensureLocalLink, removeLocalLink } from './local-link.js';

const exec = promisify(execFile);
const root = process.getuid?.() === 0;
const DNSMASQ = '/usr/sbin/dnsmasq';

async function addresses(netns: string, dev: string): Promise<string[]> {
  const { stdout } = await exec('ip', ['-n', netns, '-j', 'addr', 'show', 'dev', dev]);
  const links = JSON.parse(stdout) as { addr_info?: { local?: string; prefixlen?: number }[] }[];
  return (links[0]?.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`).sort();
}

describe('node-local DNS address', { skip: root ? false : 'needs root (network namespaces)' }, () => {
  const id = randomBytes(3).toString('hex');
  const node = `tugdns-n-${id}`;
  const pod = `tugdns-p-${id}`;
  before(async () => {
    await exec('ip', ['netns', 'add', node]);
    await exec('ip', ['netns', 'add', pod]);
  });
  after(async () => {
    await exec('ip', ['netns', 'delete', pod]);
    await exec('ip', ['netns', 'delete', node]);
  });

  it('puts the addresses on a dummy link (or lo), idempotently, and takes them away', async () => {
    const o = { link: 'tug-dns0', addresses: ['169.254.20.10', 'fd00:dead::a'], netns: node };
    const dev = await ensureLocalLink(o);
    assert.equal(await ensureLocalLink(o), dev);
    const have = await addresses(node, dev);
    assert.ok(have.includes('169.254.20.10/32') && have.includes('fd00:dead::a/128'), have.join(' '));
    assert.equal(await removeLocalLink(o), true);
    assert.equal(await removeLocalLink(o), false);
    const after = dev === 'lo' ? await addresses(node, 'lo') : [];
    assert.ok(!after.includes('169.254.20.10/32'));
  });

  it('is reachable from a pod namespace routed through the node', { skip: existsSync(DNSMASQ) ? false : 'dnsmasq not installed' }, async () => {
    // The pod side of a veth pair with a default route via the node, as the CNI bridge gives pods.
    await exec('ip', ['link', 'add', 'veth-n', 'netns', node, 'type', 'veth', 'peer', 'name', 'veth-p', 'netns', pod]);
    for (const [ns, dev, addr] of [[node, 'veth-n', '10.99.0.1/24'], [pod, 'veth-p', '10.99.0.2/24']] as const) {
      await exec('ip', ['-n', ns, 'addr', 'add', addr, 'dev', dev]);
      await exec('ip', ['-n', ns, 'link', 'set', dev, 'up']);
      await exec('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    await exec('ip', ['-n', pod, 'route', 'add', 'default', 'via', '10.99.0.1']);
    const o = { link: 'tug-dns0', addresses: ['169.254.20.10'], netns: node };
    await ensureLocalLink(o);
    // dnsmasq stands in for the server here; the point is the address and the route.
    const server = spawn('ip', ['netns', 'exec', node, DNSMASQ, '--keep-in-foreground', '--no-resolv', '--no-hosts', '--pid-file=', '--listen-address=169.254.20.10', '--bind-interfaces', '--address=/probe.test/10.1.2.3'], { stdio: 'ignore' });
    try {
      let out = '';
      for (let i = 0; i < 50 && !out.includes('10.1.2.3'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        out = await exec('ip', ['netns', 'exec', pod, 'busybox', 'nslookup', '-type=a', 'probe.test', '169.254.20.10']).then((r) => r.stdout, () => '');
      }
      assert.match(out, /10\.1\.2\.3/);
    } finally {
      server.kill('SIGTERM');
      await removeLocalLink(o);
    }
  });
});
