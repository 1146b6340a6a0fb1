// Protobuf bodies that are not objects of a served kind, sent to a real `tug server` as client-go's
// typed clients send them (`application/vnd.kubernetes.protobuf`, `k8s\0` + runtime.Unknown):
// Binding to pods/binding (the scheduler's call) and DeleteOptions with a DELETE (a uid
// precondition and gracePeriodSeconds 0, whose zero must survive decoding). Run `npm run build`
// first: bin/tug.js prefers dist/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';

// --- a minimal protobuf writer ---
type Bytes = number[];
function varint(v: number): Bytes {
  const out: Bytes = [];
  let x = v;
  do {
    const b = x & 0x7f;
    x = Math.floor(x / 128);
    out.push(x ? b | 0x80 : b);
  } while (x);
  return out;
}
const key = (num: number, wire: number): Bytes => varint(num * 8 + wire);
const int = (num: number, v: number): Bytes => [...key(num, 0), ...varint(v)];
const raw = (num: number, b: Bytes): Bytes => [...key(num, 2), ...varint(b.length), ...b];
const str = (num: number, s: string): Bytes => raw(num, [...Buffer.from(s)]);
const msg = (num: number, ...fields: Bytes[]): Bytes => raw(num, fields.flat());
const envelope = (apiVersion: string, kind: string, ...fields: Bytes[]): Buffer =>
  Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...msg(2, ...fields)]);

let srv: TugServer;

function call(method: string, path: string, o: { body?: Buffer | string; type?: string } = {}): Promise<{ status: number; body: string }> {
  const url = new URL(path, srv.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: srv.caCertPem,
        headers: {
          authorization: `Bearer ${srv.token}`,
          accept: 'application/json',
          ...(o.body !== undefined ? { 'content-type': o.type ?? 'application/json', 'content-length': Buffer.byteLength(o.body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const podJson = (name: string): string =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

async function createPod(name: string): Promise<{ uid: string }> {
  const r = await call('POST', '/api/v1/namespaces/default/pods', { body: podJson(name) });
  assert.equal(r.status, 201, r.body);
  return { uid: (JSON.parse(r.body) as { metadata: { uid: string } }).metadata.uid };
}

before(async () => {
  srv = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
});

after(async () => {
  await srv.cleanup();
});

describe('protobuf Binding and DeleteOptions bodies', () => {
  it('binds a pod with a protobuf Binding', async () => {
    await createPod('pb-bind');
    const binding = envelope('v1', 'Binding', msg(1, str(1, 'pb-bind'), str(3, 'default')), msg(2, str(1, 'Node'), str(3, 'node-a'), str(5, 'v1')));
    const r = await call('POST', '/api/v1/namespaces/default/pods/pb-bind/binding', { body: binding, type: PROTOBUF });
    assert.equal(r.status, 201, r.body);
    const pod = JSON.parse((await call('GET', '/api/v1/namespaces/default/pods/pb-bind')).body) as { spec: { nodeName?: string } };
    assert.equal(pod.spec.nodeName, 'node-a');
  });

  it('honours a protobuf DeleteOptions: uid precondition and gracePeriodSeconds 0', async () => {
    const { uid } = await createPod('pb-del');
    const wrong = envelope('v1', 'DeleteOptions', int(1, 0), msg(2, str(1, 'not-the-uid')));
    const conflict = await call('DELETE', '/api/v1/namespaces/default/pods/pb-del', { body: wrong, type: PROTOBUF });
    assert.equal(conflict.status, 409, conflict.body);
    assert.match(conflict.body, /not-the-uid/);
    // Bound to a node, a pod deleted with the default grace period would only be marked; 0 removes it at once.
    const bind = JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'pb-del' }, target: { kind: 'Node', name: 'node-a' } });
    assert.equal((await call('POST', '/api/v1/namespaces/default/pods/pb-del/binding', { body: bind })).status, 201);
    const right = envelope('meta.k8s.io/v1', 'DeleteOptions', int(1, 0), msg(2, str(1, uid)), str(4, 'Background'));
    const ok = await call('DELETE', '/api/v1/namespaces/default/pods/pb-del', { body: right, type: PROTOBUF });
    assert.equal(ok.status, 200, ok.body);
    assert.equal((await call('GET', '/api/v1/namespaces/default/pods/pb-del')).status, 404);
  });

  it('reports a malformed protobuf DeleteOptions as a 400, not a 415', async () => {
    await createPod('pb-bad');
    const bad = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x12, 0x05, 0x08]);
    const r = await call('DELETE', '/api/v1/namespaces/default/pods/pb-bad', { body: bad, type: PROTOBUF });
    assert.equal(r.status, 400, r.body);
  });
});
