// The CNI portmap plugin (hostPort) programs the `nat` tables through iptables, which on Debian
// is iptables-nft: the first hostPort pod creates `table ip nat` / `table ip6 nat` with shared
// chains CNI-HOSTPORT-DNAT/-MASQ/-SETMARK and jumps to them from the base chains, and deleting
// the pod removes only its own CNI-DN-* chain. So that `tug down` leaves nft's ruleset as it found
// it, this removes that shared skeleton once no pod on the machine has a hostPort left (the DNAT
// chain is empty and no CNI-DN-* chain remains), and the whole nat table when it did not exist
// before the node first set up its network and nothing else is in it.
import { run, runOk } from './host.js';

const FAMILIES = ['ip', 'ip6'] as const;
const SHARED_PREFIX = 'CNI-HOSTPORT-';
const PER_POD_PREFIX = 'CNI-DN-';

interface NftChain {
  name: string;
  hook?: string;
}

interface NftRule {
  chain: string;
  handle: number;
  expr: unknown[];
}

interface NatTable {
  family: (typeof FAMILIES)[number];
  chains: NftChain[];
  rules: NftRule[];
}

async function natTable(family: (typeof FAMILIES)[number]): Promise<NatTable | undefined> {
  const r = await run('nft', ['-j', 'list', 'table', family, 'nat']);
  if (r.code !== 0) return undefined;
  const doc = JSON.parse(r.stdout || '{}') as { nftables?: { chain?: NftChain; rule?: NftRule }[] };
  const items = doc.nftables ?? [];
  return {
    family,
    chains: items.flatMap((i) => (i.chain ? [i.chain] : [])),
    rules: items.flatMap((i) => (i.rule ? [i.rule] : [])),
  };
}

/** `ip nat` / `ip6 nat`, whichever exist now. */
export async function existingNatTables(): Promise<string[]> {
  const out: string[] = [];
  for (const f of FAMILIES) if (await natTable(f)) out.push(`${f} nat`);
  return out;
}

const jumpTarget = (expr: unknown[]): string | undefined => {
  for (const e of expr) {
    const j = (e as { jump?: { target?: string }; goto?: { target?: string } }).jump ?? (e as { goto?: { target?: string } }).goto;
    if (j?.target) return j.target;
  }
  return undefined;
};

/** The nft script removing portmap's shared chains from one table, or '' when some pod still uses them. */
export function skeletonRemovalScript(t: NatTable): string {
  if (t.chains.some((c) => c.name.startsWith(PER_POD_PREFIX))) return '';
  if (t.rules.some((r) => r.chain === `${SHARED_PREFIX}DNAT`)) return '';
  const shared = t.chains.filter((c) => c.name.startsWith(SHARED_PREFIX));
  if (shared.length === 0) return '';
  const lines: string[] = [];
  for (const r of t.rules) {
    if (r.chain.startsWith(SHARED_PREFIX)) continue;
    if (jumpTarget(r.expr)?.startsWith(SHARED_PREFIX)) lines.push(`delete rule ${t.family} nat ${r.chain} handle ${r.handle}`);
  }
  for (const c of shared) lines.push(`flush chain ${t.family} nat ${c.name}`, `delete chain ${t.family} nat ${c.name}`);
  return `${lines.join('\n')}\n`;
}

/** Removes portmap's leftovers; resolves with what it removed (`ip nat` = the whole table). */
export async function removePortmapSkeleton(o: { preexisting: string[] }): Promise<string[]> {
  const removed: string[] = [];
  for (const f of FAMILIES) {
    const before = await natTable(f);
    if (!before) continue;
    const script = skeletonRemovalScript(before);
    if (script) {
      await runOk('nft', ['-f', '-'], { input: script });
      removed.push(`${f} nat ${SHARED_PREFIX}*`);
    }
    if (o.preexisting.includes(`${f} nat`)) continue;
    const after = await natTable(f);
    const onlyEmptyBaseChains = after && after.rules.length === 0 && after.chains.every((c) => c.hook !== undefined);
    if (onlyEmptyBaseChains) {
      await runOk('nft', ['delete', 'table', f, 'nat']);
      removed.push(`${f} nat`);
    }
  }
  return removed;
}
