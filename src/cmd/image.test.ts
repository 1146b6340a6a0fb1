// `tug image load` and `tug image ls` against a real node's containerd (root only): an archive
// loads into the node named by its socket or its agent data dir, and the listing shows it beside
// the project images the node imported at start. Sizes print as crictl prints them.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
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

describe('humanSize', () => {
  it('prints decimal units with three significant digits', () => {
    assert.equal(humanSize(0), '0B');
    assert.equal(humanSize(999), '999B');
    assert.equal(humanSize(2_131_239), '2.13MB');
    assert.equal(humanSize(692_736), '693kB');
  });
});
