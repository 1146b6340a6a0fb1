// Unit tests of the nft transaction scripts: a first sync declares the table; a later one flushes
// it, empties static maps and sets but not affinity sets, and deletes obsolete objects in an order
// the kernel accepts (maps before the chains their elements jump to). As root, the scripts are
// applied for real in a throw-away network namespace to show that a sync keeps the affinity
// entries the data path wrote while removing what is gone, and that delete/replace never fail
// on a missing table.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProxyEndpoint, ServicePortModel } from './model.js';
import { renderRuleset, type NftObject } from './ruleset.js';
import { checkName, deleteScript, diffScript, parseExisting, replaceScript, syncScript } from './script.js';

const T = 'tugboat-proxy-script-test';
const chain = (name: string, rules: string[] = []): NftObject => ({ kind: 'chain', name, rules });

describe('proxy nft scripts', () => {
  it('a first sync only declares; no flush or delete of what does not exist', () => {
    const s = syncScript({ table: T, objects: [chain('a', ['counter'])], existing: undefined });
    assert.deepEqual(s.split('\n').slice(0, 4), [`add table inet ${T}`, `table inet ${T} {`, '  chain a {', '    counter']);
    assert.doesNotMatch(s, /flush|delete/);
  });

  it('a later sync flushes, empties static maps and sets, keeps affinity sets, then deletes what is gone', () => {
    const objects: NftObject[] = [
      chain('keep'),
      { kind: 'map', name: 'm', spec: ['type ipv4_addr : verdict'], elements: ['1.2.3.4 : goto keep'] },
      { kind: 'set', name: 'static', spec: ['type ipv4_addr'], elements: ['1.2.3.4'] },
      { kind: 'set', name: 'aff', spec: ['type ipv4_addr', 'flags dynamic,timeout', 'timeout 5s'], elements: [], dynamic: true },
    ];
    const existing = { chains: new Set(['keep', 'gone']), sets: new Set(['static', 'aff', 'old-aff']), maps: new Set(['m', 'old-map']) };
    const lines = syncScript({ table: T, objects, existing }).split('\n');
    const head = lines.slice(0, lines.indexOf(`table inet ${T} {`));
    assert.deepEqual(head, [
      `add table inet ${T}`,
      `flush table inet ${T}`,
      `flush map inet ${T} m`,
      `flush set inet ${T} static`,
      `delete map inet ${T} old-map`,
      `delete set inet ${T} old-aff`,
      `delete chain inet ${T} gone`,
    ]);
    assert.ok(lines.includes('    elements = { 1.2.3.4 : goto keep }'));
    assert.equal(lines.filter((l) => l.includes('elements')).length, 2, 'a dynamic set never lists elements');
  });

  it('a partial sync names only what changed: flushes, then deletes (maps, chains, sets), then declarations', () => {
    const before: NftObject[] = [
      chain('same', ['counter']),
      chain('changed', ['counter']),
      chain('gone'),
      { kind: 'map', name: 'm', spec: ['type ipv4_addr : verdict'], elements: ['1.2.3.4 : goto gone'] },
      { kind: 'set', name: 'aff', spec: ['type ipv4_addr', 'flags dynamic,timeout', 'timeout 5s'], elements: [], dynamic: true },
      { kind: 'set', name: 'aff-gone', spec: ['type ipv4_addr', 'flags dynamic,timeout', 'timeout 5s'], elements: [], dynamic: true },
    ];
    const after: NftObject[] = [
      chain('same', ['counter']),
      chain('changed', ['counter', 'accept']),
      chain('new', ['drop']),
      { kind: 'map', name: 'm', spec: ['type ipv4_addr : verdict'], elements: ['1.2.3.4 : goto new'] },
      { kind: 'set', name: 'aff', spec: ['type ipv4_addr', 'flags dynamic,timeout', 'timeout 5s'], elements: [], dynamic: true },
    ];
    const lines = (diffScript({ table: T, objects: after, previous: before }) ?? '').split('\n');
    assert.deepEqual(lines.slice(0, 5), [`flush chain inet ${T} changed`, `flush map inet ${T} m`, `delete chain inet ${T} gone`, `delete set inet ${T} aff-gone`, `table inet ${T} {`]);
    const declared = lines.filter((l) => /^ {2}(chain|set|map) /.test(l)).map((l) => l.trim());
    assert.deepEqual(declared, ['chain changed {', 'chain new {', 'map m {'], 'unchanged objects, affinity sets included, are left alone');
    assert.equal(diffScript({ table: T, objects: after, previous: after }), '', 'nothing changed, nothing to do');
    const rebased = [{ ...chain('changed', ['counter']), base: 'type filter hook input priority 0; policy accept;' }];
    assert.equal(diffScript({ table: T, objects: rebased, previous: before }), undefined, 'a changed declaration needs a full sync');
  });

  it('replace and delete scripts declare the table first so they work whether or not it exists', () => {
    assert.equal(deleteScript(T), `table inet ${T} {}\ndelete table inet ${T}\n`);
    assert.deepEqual(replaceScript({ table: T, objects: [] }).split('\n').slice(0, 3), [`table inet ${T} {}`, `delete table inet ${T}`, `table inet ${T} {`]);
  });

  it('reads object names from nft JSON and refuses names nft cannot parse', () => {
    const json = JSON.stringify({
      nftables: [{ metainfo: {} }, { table: { name: T } }, { chain: { name: 'c1' } }, { set: { name: 's1' } }, { map: { name: 'm1' } }, { rule: { chain: 'c1' } }],
    });
    const e = parseExisting(json);
    assert.deepEqual([[...e.chains], [...e.sets], [...e.maps]], [['c1'], ['s1'], ['m1']]);
    assert.throws(() => checkName('1bad'), /invalid nftables name/);
    assert.throws(() => checkName('has space'), /invalid nftables name/);
    assert.equal(checkName('svc-ns/web/tcp/http'), 'svc-ns/web/tcp/http');
  });
});

const root = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0;

const ep = (ip: string): ProxyEndpoint => ({ ip, port: 8080, local: false, ready: true, serving: true, terminating: false });
const sp = (name: string, eps: ProxyEndpoint[], o: Partial<ServicePortModel> = {}): ServicePortModel => ({
  id: `ns/${name}/tcp/http`,
  namespace: 'ns',
  name,
  protocol: 'tcp',
  clusterIP: '10.43.0.10',
  port: 80,
  nodePort: 0,
  externalIPs: [],
  loadBalancerIPs: [],
  affinitySeconds: 300,
  externalLocal: false,
  internalLocal: false,
  endpoints: eps,
  ...o,
});

describe('proxy nft scripts applied in a private network namespace', { skip: !root && 'needs root' }, () => {
  it('a sync keeps affinity entries of surviving endpoints and removes the objects of departed ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-script-'));
    try {
      const opts = { nodeIps: [], clusterCIDR: '10.42.0.0/16', masqueradeAll: false };
      const before = renderRuleset([sp('web', [ep('10.42.0.5'), ep('10.42.0.6')]), sp('gone', [ep('10.42.0.9')], { clusterIP: '10.43.0.11' })], opts);
      const after = renderRuleset([sp('web', [ep('10.42.0.5')])], opts);
      const names = (objs: NftObject[]): { chains: Set<string>; sets: Set<string>; maps: Set<string> } => ({
        chains: new Set(objs.filter((o) => o.kind === 'chain').map((o) => o.name)),
        sets: new Set(objs.filter((o) => o.kind === 'set').map((o) => o.name)),
        maps: new Set(objs.filter((o) => o.kind === 'map').map((o) => o.name)),
      });
      writeFileSync(join(dir, '1.nft'), syncScript({ table: T, objects: before, existing: undefined }));
      // What the data path does when client 10.42.1.1 is sent to 10.42.0.5.
      writeFileSync(join(dir, '2.nft'), `add element inet ${T} aff-ns/web/tcp/http/10.42.0.5/8080/300 { 10.42.1.1 }\n`);
      writeFileSync(join(dir, '3.nft'), syncScript({ table: T, objects: after, existing: names(before) }));
      const r = spawnSync('unshare', ['-n', 'sh', '-ec', `nft -f 1.nft; nft -f 2.nft; nft -f 3.nft; nft -j list table inet ${T}`], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { nftables: Record<string, { name?: string; elem?: unknown[] }>[] };
      const sets = new Map(doc.nftables.filter((e) => e.set).map((e) => [e.set?.name, e.set]));
      assert.equal(sets.get('aff-ns/web/tcp/http/10.42.0.5/8080/300')?.elem?.length, 1, 'the client is still pinned');
      assert.equal(sets.has('aff-ns/web/tcp/http/10.42.0.6/8080/300'), false);
      const chains = doc.nftables.filter((e) => e.chain).map((e) => e.chain?.name);
      assert.ok(chains.includes('svc-ns/web/tcp/http'));
      assert.equal(chains.includes('svc-ns/gone/tcp/http'), false);
      assert.equal(chains.includes('sep-ns/web/tcp/http/10.42.0.6/8080'), false);
      const clusterIps = doc.nftables.find((e) => e.set?.name === 'cluster-ips')?.set?.elem;
      assert.deepEqual(clusterIps, ['10.43.0.10'], 'static sets are emptied before being refilled');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a partial sync leaves the table exactly as a full sync of the new state would', () => {
    const opts = { nodeIps: ['10.250.0.1'], clusterCIDR: '10.42.0.0/16', masqueradeAll: false };
    const a = renderRuleset(
      [
        sp('web', [ep('10.42.0.5'), ep('10.42.0.6')]),
        sp('gone', [ep('10.42.0.9')], { clusterIP: '10.43.0.11', affinitySeconds: 0, nodePort: 30001 }),
        sp('empty', [], { clusterIP: '10.43.0.12', nodePort: 30002 }),
      ],
      opts,
    );
    const b = renderRuleset(
      [
        sp('web', [ep('10.42.0.5'), ep('10.42.0.7')]),
        sp('empty', [ep('10.42.0.8')], { clusterIP: '10.43.0.12', nodePort: 30002, affinitySeconds: 0 }),
        sp('new', [ep('10.42.0.9')], { clusterIP: '10.43.0.13', loadBalancerIPs: ['10.250.0.1'], externalLocal: true }),
      ],
      opts,
    );
    const partial = diffScript({ table: T, objects: b, previous: a });
    const back = diffScript({ table: T, objects: a, previous: b });
    assert.ok(partial && back);
    // Objects in `nft list` output are blank-line separated; creation order differs, contents must not.
    const blocks = (text: string): string[] => text.split(/\n\s*\n/).map((x) => x.trim().replace(/^table inet \S+ \{\n/, '').replace(/\n\}$/, '')).sort();
    const list = (steps: string[]): string[] => {
      const dir = mkdtempSync(join(tmpdir(), 'proxy-diff-'));
      try {
        steps.forEach((x, i) => writeFileSync(join(dir, `${i}.nft`), x));
        const r = spawnSync('unshare', ['-n', 'sh', '-ec', `${steps.map((_, i) => `nft -f ${i}.nft`).join('; ')}; nft list table inet ${T}`], { cwd: dir, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return blocks(r.stdout);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    assert.deepEqual(list([syncScript({ table: T, objects: a, existing: undefined }), partial]), list([syncScript({ table: T, objects: b, existing: undefined })]));
    assert.deepEqual(list([syncScript({ table: T, objects: b, existing: undefined }), back]), list([syncScript({ table: T, objects: a, existing: undefined })]));
  });

  it('delete and replace scripts apply to a missing table', () => {
    const script = replaceScript({ table: T, objects: renderRuleset([], { nodeIps: [], clusterCIDR: '', masqueradeAll: false }) }) + deleteScript(T) + deleteScript(T);
    const r = spawnSync('unshare', ['-n', 'sh', '-ec', 'nft -f -; nft list tables'], { input: script, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '');
  });
});
