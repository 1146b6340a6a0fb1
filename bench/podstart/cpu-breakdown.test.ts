// The pure parts of the pod-start CPU breakdown: reading the kernel's acct_v3 records (the same
// bytes `lastcomm` reads) and naming process kinds. No root needed; the breakdown itself runs
// only with `run.ts --cpu-breakdown`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf, parseAcct } from './cpu-breakdown.js';

/** One acct_v3 record as the kernel writes it. */
function record(o: { pid: number; ppid: number; comm: string; utime: number; stime: number; etime: number }): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt8(3, 1);
  b.writeUInt32LE(o.pid, 16);
  b.writeUInt32LE(o.ppid, 20);
  b.writeFloatLE(o.etime, 28);
  b.writeUInt16LE(o.utime, 32);
  b.writeUInt16LE(o.stime, 34);
  b.write(o.comm, 48, 'latin1');
  return b;
}

describe('process accounting records', () => {
  it('reads pid, parent, command, CPU ticks (comp_t) and elapsed ticks', () => {
    // comp_t 0x2001: mantissa 1, base-8 exponent 1 → 8 ticks.
    const buf = Buffer.concat([record({ pid: 42, ppid: 7, comm: 'bridge', utime: 3, stime: 0x2001, etime: 12.5 }), record({ pid: 43, ppid: 42, comm: 'host-local', utime: 0, stime: 0, etime: 1 })]);
    assert.deepEqual(parseAcct(buf), [
      { pid: 42, ppid: 7, comm: 'bridge', ticks: 11, elapsed: 12.5 },
      { pid: 43, ppid: 42, comm: 'host-local', ticks: 0, elapsed: 1 },
    ]);
  });

  it('skips records of other format versions and a torn tail', () => {
    const v2 = record({ pid: 1, ppid: 0, comm: 'x', utime: 1, stime: 1, etime: 1 });
    v2.writeUInt8(2, 1);
    assert.deepEqual(parseAcct(Buffer.concat([v2, Buffer.alloc(10)])), []);
  });
});

describe('process kinds', () => {
  it("groups runc's init stages and tells a shim's start step from the shim", () => {
    for (const c of ['runc:[0:PARENT]', 'runc:[1:CHILD]', 'runc:[2:INIT]']) assert.equal(kindOf(c), 'runc init');
    assert.equal(kindOf('containerd-shim', '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id x -address /s start'), 'containerd-shim-runc-v2 start');
    assert.equal(kindOf('containerd-shim', '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id x -address /s'), 'containerd-shim-runc-v2');
    assert.equal(kindOf('bridge'), 'bridge');
  });
});
