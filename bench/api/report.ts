// Turns the measurements into the markdown the bench prints (and docs/benchmarks.md keeps): the
// op matrix beside the raw-etcd floor as ratios, the size measurements, and PASS/FAIL against the
// issue's targets. Timings are only ever judged here, never asserted in tests.
import type { OpName } from './targets.js';
import { fmtMs, fmtOps, fmtRatio, type Summary } from './stats.js';
import type { FanoutResult } from './scale.js';

export interface Cell {
  op: OpName | 'watch';
  clients: number;
  api: Summary;
  floor: Summary;
  /** CPU per operation (µs): the server process, this client process, and etcd during the floor run. */
  cpu?: { serverUs: number; clientUs: number; etcdUs: number };
}

export interface ScaleResults {
  count: number;
  loadPerSec: number;
  list: Summary & { bytes: number };
  listFloor: Summary;
  fanout: FanoutResult;
  rssIdleMb: number;
  rssLoadedMb: number;
}

/** The targets; `writeClients` is the concurrency the write target is judged at. */
export const TARGETS = { writeP99Ms: 20, writeClients: 16, listMs: 150, fanoutMs: 100, idleRssMb: 120 };

const us = (n: number | undefined): string => (n !== undefined && Number.isFinite(n) ? String(Math.round(n)) : '—');

const FLOOR_NAME: Record<Cell['op'], string> = { create: 'put (new key)', get: 'get', list: 'range (100 keys)', update: 'put', watch: 'watch' };

export function matrixTable(cells: readonly Cell[], datastore: string): string {
  const rows = [
    `| op | clients | ${datastore} ops/s | p50 ms | p99 ms | server CPU µs/op | client CPU µs/op | etcd3 floor op | floor ops/s | floor p50 ms | floor p99 ms | etcd CPU µs/op | ops/s ÷ floor | p99 ÷ floor |`,
    '|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of cells) {
    const opLabel = c.op === 'list' ? 'list (100)' : c.op === 'watch' ? 'watch (events)' : c.op;
    rows.push(
      `| ${opLabel} | ${c.clients} | ${fmtOps(c.api.opsPerSec)} | ${fmtMs(c.api.p50)} | ${fmtMs(c.api.p99)} | ${us(c.cpu?.serverUs)} | ${us(c.cpu?.clientUs)} | ${FLOOR_NAME[c.op]} | ${fmtOps(c.floor.opsPerSec)} | ${fmtMs(c.floor.p50)} | ${fmtMs(c.floor.p99)} | ${us(c.cpu?.etcdUs)} | ${fmtRatio(c.api.opsPerSec / c.floor.opsPerSec)} | ${fmtRatio(c.api.p99 / c.floor.p99)} |`,
    );
  }
  return rows.join('\n');
}

export function scaleTable(s: ScaleResults): string {
  const n = s.count.toLocaleString('en-US');
  return [
    '| measurement | API | etcd3 floor | ratio |',
    '|---|---:|---:|---:|',
    `| list ${n} ConfigMaps, unpaged (p50 / max of ${s.list.count}) | ${fmtMs(s.list.p50)} / ${fmtMs(s.list.max)} ms (${(s.list.bytes / 1048576).toFixed(1)} MiB) | ${fmtMs(s.listFloor.p50)} / ${fmtMs(s.listFloor.max)} ms | ${fmtRatio(s.list.p50 / s.listFloor.p50)} |`,
    `| ${s.fanout.watchers} watchers, write response → last receipt (p50 / p99 / max of ${s.fanout.last.count} rounds) | ${fmtMs(s.fanout.last.p50)} / ${fmtMs(s.fanout.last.p99)} / ${fmtMs(s.fanout.last.max)} ms | — | — |`,
    `| ${s.fanout.watchers} watchers, every receipt (p50 / p99) | ${fmtMs(s.fanout.each.p50)} / ${fmtMs(s.fanout.each.p99)} ms | — | — |`,
    `| create ${n} ConfigMaps (32 clients) | ${fmtOps(s.loadPerSec)} /s | — | — |`,
    `| server RSS idle | ${s.rssIdleMb.toFixed(1)} MB | — | — |`,
    `| server RSS with ${n} ConfigMaps | ${s.rssLoadedMb.toFixed(1)} MB | — | — |`,
  ].join('\n');
}

export interface Verdict {
  target: string;
  measured: string;
  limit: string;
  pass: boolean;
}

export function verdicts(cells: readonly Cell[], s: ScaleResults, o: { datastore: string; quick: boolean }): Verdict[] {
  const writes = cells.filter((c) => (c.op === 'create' || c.op === 'update') && c.clients === TARGETS.writeClients);
  const writeP99 = Math.max(...writes.map((c) => c.api.p99));
  const scaled = (what: string): string => (o.quick ? `${what} (quick: ${s.count} objects / ${s.fanout.watchers} watchers)` : what);
  return [
    {
      target: `single-object writes (create, update) p99 at ${TARGETS.writeClients} clients${o.datastore === 'sqlite' ? '' : ' (target is for sqlite)'}`,
      measured: `${fmtMs(writeP99)} ms`,
      limit: `< ${TARGETS.writeP99Ms} ms`,
      pass: writeP99 < TARGETS.writeP99Ms,
    },
    { target: scaled('list of 10,000 objects, unpaged (p50)'), measured: `${fmtMs(s.list.p50)} ms`, limit: `< ${TARGETS.listMs} ms`, pass: s.list.p50 < TARGETS.listMs },
    {
      target: scaled('1,000 watchers all receive an event (p99 of last receipt)'),
      measured: `${fmtMs(s.fanout.last.p99)} ms`,
      limit: `< ${TARGETS.fanoutMs} ms`,
      pass: s.fanout.last.p99 < TARGETS.fanoutMs,
    },
    { target: 'idle server RSS', measured: `${s.rssIdleMb.toFixed(1)} MB`, limit: `< ${TARGETS.idleRssMb} MB`, pass: s.rssIdleMb < TARGETS.idleRssMb },
  ];
}

export function verdictTable(v: readonly Verdict[]): string {
  return ['| target | measured | limit | result |', '|---|---:|---:|---|', ...v.map((r) => `| ${r.target} | ${r.measured} | ${r.limit} | ${r.pass ? 'PASS' : 'FAIL'} |`)].join('\n');
}

/** Cells whose runs had errors, so a fast-looking number from a failing server is not trusted. */
export function errorNotes(cells: readonly Cell[]): string[] {
  const notes: string[] = [];
  for (const c of cells) {
    for (const [side, s] of [['API', c.api], ['floor', c.floor]] as const) {
      if (s.errors > 0) notes.push(`- ${c.op} @ ${c.clients} (${side}): ${s.errors} errors; first: ${s.firstError ?? '?'}`);
    }
  }
  return notes;
}
