import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { isBadQuery, readQuery, type Query } from './wire-read.js';
import { encodeAnswer, encodeBadQuery, replyLimit } from './wire-write.js';
import { RCODE, TYPE, type Answer, type Rr } from './records.js';

const opt = (size: number): dnsPacket.Answer => ({ type: 'OPT', name: '.', udpPayloadSize: size, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] });
const queryBytes = (name: string, type: dnsPacket.RecordType, o: { edns?: number; id?: number } = {}): Buffer =>
  dnsPacket.encode({ type: 'query', id: o.id ?? 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }], additionals: o.edns ? [opt(o.edns)] : [] });

function parsed(raw: Buffer): Query {
  const q = readQuery(raw);
  assert.ok(q && !isBadQuery(q), 'query should parse');
  return q as Query;
}

const aRecords = (name: string, n: number): Rr[] => Array.from({ length: n }, (_, i) => ({ name, ttl: 5, type: TYPE.A, ip: `10.244.${i >> 8}.${i & 255}` }));
const answer = (answers: Rr[], additionals: Rr[] = []): Answer => ({ rcode: RCODE.NOERROR, authoritative: true, answers, authorities: [], additionals });

describe('dns wire format', () => {
  it('reads the question lower-cased, its type, class and EDNS size', () => {
    const q = parsed(queryBytes('Web.Default.SVC.cluster.local', 'SRV', { edns: 1232, id: 99 }));
    assert.equal(q.id, 99);
    assert.equal(q.name, 'web.default.svc.cluster.local');
    assert.equal(q.type, TYPE.SRV);
    assert.equal(q.class, 1);
    assert.deepEqual(q.edns, { udpSize: 1232, version: 0 });
    assert.equal(parsed(queryBytes('example.com', 'A')).edns, undefined);
  });

  it('keeps a dot inside a label from passing for a label boundary', () => {
    const raw = Buffer.concat([Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([3]), Buffer.from('W.b'), Buffer.from([5]), Buffer.from('local'), Buffer.from([0, 0, 1, 0, 1])]);
    assert.equal(parsed(raw).name, 'w\\.b.local');
  });

  it('drops responses and runts, and rejects what it cannot answer', () => {
    assert.equal(readQuery(Buffer.alloc(5)), undefined);
    const response = queryBytes('a.b', 'A');
    response.writeUInt16BE(response.readUInt16BE(2) | 0x8000, 2);
    assert.equal(readQuery(response), undefined);
    const notify = queryBytes('a.b', 'A');
    notify.writeUInt16BE(notify.readUInt16BE(2) | (4 << 11), 2);
    const bad = readQuery(notify);
    assert.ok(bad && isBadQuery(bad) && bad.rcode === RCODE.NOTIMP);
    const cut = readQuery(queryBytes('web.default.svc.cluster.local', 'A').subarray(0, 20));
    assert.ok(cut && isBadQuery(cut) && cut.rcode === RCODE.FORMERR);
    const reply = dnsPacket.decode(encodeBadQuery({ id: 3, flags: 0x0100, rcode: RCODE.FORMERR }));
    assert.equal(reply.id, 3);
    assert.equal((reply as unknown as { rcode: string }).rcode, 'FORMERR');
  });

  it('echoes the question as asked and compresses names against it', () => {
    const raw = queryBytes('WEB.default.svc.cluster.local', 'A', { id: 1234 });
    const q = parsed(raw);
    const out = encodeAnswer(q, raw, answer(aRecords('web.default.svc.cluster.local', 2)), 512);
    const p = dnsPacket.decode(out);
    assert.equal(p.id, 1234);
    assert.ok(p.flag_qr && p.flag_aa && p.flag_rd && p.flag_ra && !p.flag_tc);
    assert.equal(p.questions?.[0]?.name, 'WEB.default.svc.cluster.local');
    assert.deepEqual(
      p.answers?.map((a) => [a.name, a.type, 'data' in a ? a.data : undefined]),
      [
        ['WEB.default.svc.cluster.local', 'A', '10.244.0.0'],
        ['WEB.default.svc.cluster.local', 'A', '10.244.0.1'],
      ],
    );
    // 12 header + 35 question + 2 × (2-byte pointer + 10 + 4).
    assert.equal(out.length, 12 + 35 + 2 * 16);
  });

  it('encodes SRV, PTR, TXT, SOA and AAAA records dns-packet can read', () => {
    const raw = queryBytes('x.cluster.local', 'TXT');
    const rrs: Rr[] = [
      { name: 'x.cluster.local', ttl: 5, type: TYPE.SRV, priority: 0, weight: 50, port: 5432, target: 'db-0.db.default.svc.cluster.local' },
      { name: 'x.cluster.local', ttl: 5, type: TYPE.PTR, target: 'web.default.svc.cluster.local' },
      { name: 'x.cluster.local', ttl: 5, type: TYPE.TXT, text: ['1.1.0'] },
      { name: 'x.cluster.local', ttl: 5, type: TYPE.AAAA, ip: 'fd00::5' },
      { name: 'cluster.local', ttl: 5, type: TYPE.SOA, soa: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 9, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 } },
    ];
    const p = dnsPacket.decode(encodeAnswer(parsed(raw), raw, answer(rrs), 4096));
    const data = p.answers?.map((a) => ('data' in a ? a.data : undefined));
    assert.deepEqual(data?.[0], { priority: 0, weight: 50, port: 5432, target: 'db-0.db.default.svc.cluster.local' });
    assert.equal(data?.[1], 'web.default.svc.cluster.local');
    assert.deepEqual(data?.[2], [Buffer.from('1.1.0')]);
    assert.equal(data?.[3], 'fd00::5');
    assert.deepEqual(data?.[4], { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 9, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 });
  });

  it('sets TC and sends no answers when they exceed 512 bytes without EDNS', () => {
    const raw = queryBytes('db.default.svc.cluster.local', 'A');
    const q = parsed(raw);
    const out = encodeAnswer(q, raw, answer(aRecords('db.default.svc.cluster.local', 40)), replyLimit(q, { tcp: false }));
    const p = dnsPacket.decode(out);
    assert.ok(p.flag_tc);
    assert.equal(p.answers?.length, 0);
    assert.equal(p.questions?.[0]?.name, 'db.default.svc.cluster.local');
    // 28 records fit in 512 bytes thanks to compression.
    const fits = dnsPacket.decode(encodeAnswer(q, raw, answer(aRecords('db.default.svc.cluster.local', 28)), 512));
    assert.ok(!fits.flag_tc);
    assert.equal(fits.answers?.length, 28);
  });

  it('uses the EDNS buffer size and TCP limit, and answers with an OPT record', () => {
    const raw = queryBytes('db.default.svc.cluster.local', 'A', { edns: 1232 });
    const q = parsed(raw);
    assert.equal(replyLimit(q, { tcp: false }), 1232);
    assert.equal(replyLimit(q, { tcp: true }), 65535);
    const p = dnsPacket.decode(encodeAnswer(q, raw, answer(aRecords('db.default.svc.cluster.local', 40)), replyLimit(q, { tcp: false })));
    assert.ok(!p.flag_tc);
    assert.equal(p.answers?.length, 40);
    const o = p.additionals?.[0];
    assert.ok(o?.type === 'OPT' && o.udpPayloadSize === 1232);
    const big = dnsPacket.decode(encodeAnswer(q, raw, answer(aRecords('db.default.svc.cluster.local', 100)), 1232));
    assert.ok(big.flag_tc);
    assert.equal(big.additionals?.length, 1, 'OPT is kept in a truncated reply');
    // A client advertising less than 512 still gets 512.
    assert.equal(replyLimit(parsed(queryBytes('a.b', 'A', { edns: 100 })), { tcp: false }), 512);
  });

  it('drops additional records before truncating the answer', () => {
    const raw = queryBytes('_pg._tcp.db.default.svc.cluster.local', 'SRV');
    const q = parsed(raw);
    const srv: Rr[] = Array.from({ length: 7 }, (_, i) => ({ name: '_pg._tcp.db.default.svc.cluster.local', ttl: 5, type: TYPE.SRV, priority: 0, weight: 8, port: 5432, target: `db-${i}.db.default.svc.cluster.local` }));
    const glue: Rr[] = srv.map((s, i) => ({ name: s.type === TYPE.SRV ? s.target : '', ttl: 5, type: TYPE.A, ip: `10.0.0.${i}` }));
    // SRV targets are never compressed (RFC 2782), so seven SRVs take ~450 bytes; the glue would not fit.
    const p = dnsPacket.decode(encodeAnswer(q, raw, answer(srv, glue), 512));
    assert.ok(!p.flag_tc);
    assert.equal(p.answers?.length, 7);
    assert.equal(p.additionals?.length, 0);
    const roomy = dnsPacket.decode(encodeAnswer(q, raw, answer(srv, glue), 1232));
    assert.equal(roomy.additionals?.length, 7);
  });
});
