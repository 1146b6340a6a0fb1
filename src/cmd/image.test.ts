// `tug image load` and `tug image ls` against real containerds (root only): an archive loads into
// the node named by its socket or its agent data dir, and the listing shows it beside the project
// images the node imported at start; given a `tug up` data dir, both reach every node of that
// cluster (node 1 in DIR/agent, the others in DIR/nodes/<node>), a node that is not running is
// named in the error without keeping the image from the others, and the listing has a NODE
// column. Sizes print as crictl prints them.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startTestNode, type TestNode } from '../agent/cri/containerd/test-node.js';
import { buildImage, dockerArchive } from '../agent/images/index.js';
import { humanSize, imageCommand } from './image.js';

const isRoot = process.getuid?.() === 0;

async function tug(args: string[]): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  await imageCommand({ out }).exitOverride().parseAsync(args, { from: 'user' });
  return text;
}

describe('tug image', { skip: !isRoot && 'needs root' }, () => {
  let node: TestNode;
  before(async () => {
    node = await startTestNode();
  });
  after(() => node?.teardown());

  it('loads an archive and lists it', async () => {
    const file = join(node.dir, 'hello.tar');
    await writeFile(file, dockerArchive(buildImage({ repoTags: ['localhost/tugboat/hello:0.1'], layers: [[{ type: 'file', path: 'hello', data: Buffer.from('hi') }]], config: {} })));
    assert.equal(await tug(['load', file, '--address', node.runtime.address]), 'Loaded image: localhost/tugboat/hello:0.1\n');
    const lines = (await tug(['ls', '--data-dir', join(node.dir, 'agent')])).trim().split('\n');
    assert.match(lines[0] ?? '', /^IMAGE\s+TAG\s+IMAGE ID\s+SIZE$/);
    assert.ok(lines.some((l) => /^localhost\/tugboat\/hello\s+0\.1\s+[0-9a-f]{13}\s+\d+(\.\d+)?[kM]?B$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^localhost\/tugboat\/pause\s+3\.9\s/.test(l)));
    assert.ok(lines.some((l) => /^localhost\/tugboat\/busybox\s+latest\s/.test(l)));
  });

  it('refuses a node without a containerd socket', async () => {
    await assert.rejects(tug(['ls', '--data-dir', join(node.dir, 'nowhere')]), /no containerd socket at .*nowhere\/containerd\/containerd\.sock/);
  });
});

describe('tug image on a tug up data dir', { skip: !isRoot && 'needs root' }, () => {
  // Two running nodes (two containerds) and a third whose agent is not running (no socket).
  let one: TestNode;
  let two: TestNode;
  let cluster = '';
  before(async () => {
    [one, two] = await Promise.all([startTestNode(), startTestNode()]);
    cluster = await mkdtemp(join(tmpdir(), 'tug-img-'));
    await mkdir(join(cluster, 'nodes', 'n-3'), { recursive: true });
    await symlink(join(one.dir, 'agent'), join(cluster, 'agent'));
    await symlink(join(two.dir, 'agent'), join(cluster, 'nodes', 'n-2'));
    const node = (name: string, index: number): Record<string, unknown> => ({ name, index, ip: `10.41.0.${index}` });
    await writeFile(join(cluster, 'node-network.json'), JSON.stringify({ bridge: 'tugnodes0', cidr: '10.41.0.0/24', prefix: 24, nodes: [node('n', 1), node('n-2', 2), node('n-3', 3)] }));
  });
  after(async () => {
    await Promise.all([one?.teardown(), two?.teardown()]);
    if (cluster) await rm(cluster, { recursive: true, force: true });
  });

  it('loads into every running node, names the one that is not, and lists per node', async () => {
    const file = join(cluster, 'multi.tar');
    await writeFile(file, dockerArchive(buildImage({ repoTags: ['localhost/tugboat/multi:1'], layers: [[{ type: 'file', path: 'm', data: Buffer.from('m') }]], config: {} })));
    await assert.rejects(tug(['load', file, '--data-dir', cluster]), (err: Error) => {
      assert.match(err.message, /1 of 3 nodes failed/);
      assert.match(err.message, /n-3: no containerd socket at .*nodes\/n-3\/containerd\/containerd\.sock/);
      assert.doesNotMatch(err.message, /\bn-2:|\bn:/);
      return true;
    });
    // Straight from each containerd's CRI, not through the command under test.
    for (const rt of [one.runtime, two.runtime]) assert.ok(await rt.imageStatus({ image: 'localhost/tugboat/multi:1' }), `image on ${rt.address}`);

    await rm(join(cluster, 'nodes', 'n-3'), { recursive: true });
    const out = await tug(['load', file, '--data-dir', cluster]);
    assert.deepEqual(out.trim().split('\n'), ['[n] Loaded image: localhost/tugboat/multi:1', '[n-2] Loaded image: localhost/tugboat/multi:1']);
    const lines = (await tug(['ls', '--data-dir', cluster])).trim().split('\n');
    assert.match(lines[0] ?? '', /^NODE\s+IMAGE\s+TAG\s+IMAGE ID\s+SIZE$/);
    const nodesOf = (repo: string): string[] => lines.filter((l) => l.split(/\s+/)[1] === repo).map((l) => l.split(/\s+/)[0] ?? '');
    assert.deepEqual(nodesOf('localhost/tugboat/multi'), ['n', 'n-2']);
    assert.deepEqual(nodesOf('localhost/tugboat/pause'), ['n', 'n-2']);
    // Node 1's rows come first.
    assert.ok(lines.slice(1).findIndex((l) => l.startsWith('n-2 ')) > lines.slice(1).findLastIndex((l) => l.startsWith('n ')));
  });
});

describe('humanSize', () => {
  it('prints decimal units with three significant digits', () => {
    assert.equal(humanSize(0), '0B');
    assert.equal(humanSize(999), '999B');
    assert.equal(humanSize(2_131_239), '2.13MB');
    assert.equal(humanSize(692_736), '693kB');
  });
});
