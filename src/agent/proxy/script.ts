// Turns the desired objects into one `nft -f` transaction; the kernel applies a whole file or
// nothing, so packets never see half a ruleset. Two kinds:
// - a full sync (syncScript) rewrites every object. Instead of deleting and re-creating the
//   table it flushes it (every rule goes; set elements stay), empties the static maps and sets,
//   deletes the objects no longer wanted and declares the rest again: the same result as a
//   replacement except for the ClientIP affinity sets, which the data path fills and which a
//   `delete table` would wipe on every Service change anywhere in the cluster. It needs the
//   names of what exists (from the last apply, or read from the kernel);
// - a partial sync (diffScript), when the exact objects last applied are known: only changed
//   chains and sets are flushed and refilled, new ones declared and gone ones deleted, so one
//   endpoint changing costs a few lines instead of the whole table.
import type { NftObject } from './ruleset.js';

/** Names of what the table holds now; `undefined` for a table that does not exist. */
export interface ExistingObjects {
  chains: ReadonlySet<string>;
  sets: ReadonlySet<string>;
  maps: ReadonlySet<string>;
}

export const FAMILY = 'inet';

/** nft identifiers: a letter first, then letters, digits, '-', '_', '.', '/'; at most 256 bytes. */
const NFT_NAME = /^[A-Za-z][A-Za-z0-9_.\-/]{0,250}$/;

export function checkName(name: string): string {
  if (!NFT_NAME.test(name)) throw new Error(`invalid nftables name ${JSON.stringify(name)}`);
  return name;
}

/** The table's body: every object with its rules or elements, in one `table` block. */
function block(table: string, objects: readonly NftObject[]): string[] {
  const out = [`table ${FAMILY} ${table} {`];
  for (const o of objects) {
    if (o.kind === 'chain') {
      out.push(`  chain ${o.name} {`);
      if (o.base) out.push(`    ${o.base}`);
      for (const r of o.rules) out.push(`    ${r}`);
    } else {
      out.push(`  ${o.kind} ${o.name} {`);
      for (const s of o.spec) out.push(`    ${s}`);
      if (!o.dynamic && o.elements.length > 0) out.push(`    elements = { ${o.elements.join(', ')} }`);
    }
    out.push('  }');
  }
  out.push('}');
  return out;
}

/** The transaction that turns the table from `existing` into `objects`. */
export function syncScript(o: { table: string; objects: readonly NftObject[]; existing: ExistingObjects | undefined }): string {
  const t = `${FAMILY} ${checkName(o.table)}`;
  for (const obj of o.objects) checkName(obj.name);
  const lines = [`add table ${t}`];
  const ex = o.existing;
  if (ex) {
    const wanted = new Map(o.objects.map((obj) => [`${obj.kind} ${obj.name}`, obj]));
    lines.push(`flush table ${t}`);
    // Maps first: their elements may jump to chains about to be deleted.
    for (const name of ex.maps) if (wanted.has(`map ${name}`)) lines.push(`flush map ${t} ${name}`);
    for (const name of ex.sets) {
      const w = wanted.get(`set ${name}`);
      if (w && w.kind !== 'chain' && !w.dynamic) lines.push(`flush set ${t} ${name}`);
    }
    for (const name of ex.maps) if (!wanted.has(`map ${name}`)) lines.push(`delete map ${t} ${name}`);
    for (const name of ex.sets) if (!wanted.has(`set ${name}`)) lines.push(`delete set ${t} ${name}`);
    for (const name of ex.chains) if (!wanted.has(`chain ${name}`)) lines.push(`delete chain ${t} ${name}`);
  }
  lines.push(...block(o.table, o.objects), '');
  return lines.join('\n');
}

function sameObject(a: NftObject, b: NftObject): boolean {
  if (a.kind === 'chain') return b.kind === 'chain' && a.base === b.base && a.rules.join('\n') === b.rules.join('\n');
  if (b.kind === 'chain') return false;
  return a.kind === b.kind && a.spec.join('\n') === b.spec.join('\n') && a.dynamic === b.dynamic && a.elements.join('\n') === b.elements.join('\n');
}

/**
 * The smaller transaction that turns the table from exactly `previous` (what this proxy last
 * applied) into `objects`: changed chains and static sets/maps are flushed and refilled, new
 * objects declared, gone ones deleted; unchanged objects are not mentioned. '' when nothing
 * changed. `undefined` when a declaration itself changed (a full sync is needed then).
 */
export function diffScript(o: { table: string; objects: readonly NftObject[]; previous: readonly NftObject[] }): string | undefined {
  const t = `${FAMILY} ${checkName(o.table)}`;
  const key = (x: NftObject): string => `${x.kind} ${x.name}`;
  const prev = new Map(o.previous.map((x) => [key(x), x]));
  const wanted = new Set(o.objects.map(key));
  const flushes: string[] = [];
  const declare: NftObject[] = [];
  for (const obj of o.objects) {
    const was = prev.get(key(obj));
    if (!was) {
      declare.push(obj);
      continue;
    }
    if (sameObject(was, obj)) continue;
    if (obj.kind === 'chain') {
      if (was.kind !== 'chain' || was.base !== obj.base) return undefined;
      flushes.push(`flush chain ${t} ${obj.name}`);
    } else {
      if (was.kind === 'chain' || was.spec.join() !== obj.spec.join() || was.dynamic !== obj.dynamic) return undefined;
      if (obj.dynamic) continue;
      flushes.push(`flush ${obj.kind} ${t} ${obj.name}`);
    }
    declare.push(obj);
  }
  const gone = o.previous.filter((x) => !wanted.has(key(x)));
  if (flushes.length === 0 && declare.length === 0 && gone.length === 0) return '';
  // Referrers go before what they refer to: maps (their elements jump to chains), then chains
  // (their rules name sets, and deleting a chain deletes its rules), then sets.
  const deletes = (['map', 'chain', 'set'] as const).flatMap((kind) => gone.filter((x) => x.kind === kind).map((x) => `delete ${kind} ${t} ${x.name}`));
  for (const obj of declare) checkName(obj.name);
  return [...flushes, ...deletes, ...(declare.length > 0 ? block(o.table, declare) : []), ''].join('\n');
}

/** A transaction that drops whatever the table holds and builds it anew (affinity state too). */
export function replaceScript(o: { table: string; objects: readonly NftObject[] }): string {
  const t = `${FAMILY} ${checkName(o.table)}`;
  for (const obj of o.objects) checkName(obj.name);
  // Declaring the table first makes the delete valid whether or not it existed.
  return [`table ${t} {}`, `delete table ${t}`, ...block(o.table, o.objects), ''].join('\n');
}

/** Removes the table if it exists, in one transaction that never fails for a missing table. */
export function deleteScript(table: string): string {
  const t = `${FAMILY} ${checkName(table)}`;
  return `table ${t} {}\ndelete table ${t}\n`;
}

/** Object names from `nft -j -t list table` output. */
export function parseExisting(json: string): ExistingObjects {
  const doc = JSON.parse(json || '{}') as { nftables?: Record<string, { name?: string } | undefined>[] };
  const chains = new Set<string>();
  const sets = new Set<string>();
  const maps = new Set<string>();
  for (const entry of doc.nftables ?? []) {
    const name = (e: { name?: string } | undefined): string => e?.name ?? '';
    if (entry.chain) chains.add(name(entry.chain));
    else if (entry.set) sets.add(name(entry.set));
    else if (entry.map) maps.add(name(entry.map));
  }
  return { chains, sets, maps };
}
