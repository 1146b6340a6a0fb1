// Bad input over raw HTTPS, where kubectl would refuse to send it: malformed JSON and YAML,
// a kind that does not belong to the path, a namespace that contradicts the path, bodies over
// 3 MiB, invalid names and fields, unknown patch types and anonymous callers. Each must come back
// as a Kubernetes `Status` with the right code, reason and field path, and the server must keep
// answering (checked with the real kubectl at the end).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectl } from '../support/kubectl.js';
import { asStatus, rawRequest, type RawRequest, type RawResponse } from '../support/raw-https.js';
import { startTugServer, type TugServer } from '../support/tug-server.js';

const CM_PATH = '/api/v1/namespaces/default/configmaps';

describe('tug server answers bad input with Kubernetes Status bodies', { timeout: 180_000 }, () => {
  let server: TugServer;
  let home = '';
  const send = (r: RawRequest): Promise<RawResponse> => rawRequest(server, r);

  /** Asserts a failure Status with this code and reason; returns it for further checks. */
  const expectStatus = (res: RawResponse, code: number, reason: string): ReturnType<typeof asStatus> => {
    const s = asStatus(res.json);
    assert.equal(res.status, code, `expected ${code}, got ${res.status}: ${res.text.slice(0, 500)}`);
    assert.equal(s.kind, 'Status', res.text.slice(0, 500));
    assert.equal(s.status, 'Failure');
    assert.equal(s.code, code);
    assert.equal(s.reason, reason, res.text.slice(0, 500));
    assert.ok(s.message, 'a Status without a message');
    assert.match(String(res.headers['content-type']), /application\/json/);
    return s;
  };

  before(async () => {
    server = await startTugServer();
    home = await mkdtemp(join(tmpdir(), 'tug-bad-input-home-'));
  });
  after(async () => {
    await server?.cleanup();
    await rm(home, { recursive: true, force: true });
  });

  it('rejects anonymous and bad-token requests with 401, except health and version', async () => {
    for (const path of ['/api', '/apis', '/api/v1/namespaces', CM_PATH, '/openapi/v2', '/apis/apps/v1/deployments']) {
      expectStatus(await send({ path, token: null }), 401, 'Unauthorized');
      expectStatus(await send({ path, token: 'not-a-real-token' }), 401, 'Unauthorized');
    }
    expectStatus(await send({ method: 'POST', path: CM_PATH, token: null, body: { metadata: { name: 'anon' }, data: {} } }), 401, 'Unauthorized');
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const r = await send({ path, token: null });
      assert.equal(r.status, 200, `${path}: ${r.status}`);
      assert.equal(r.text, 'ok');
    }
    const v = await send({ path: '/version', token: null });
    assert.equal(v.status, 200);
    assert.equal((v.json as { major?: string }).major, '1');
    // The anonymous create above must not have gone through.
    expectStatus(await send({ path: `${CM_PATH}/anon` }), 404, 'NotFound');
  });

  it('malformed JSON and YAML are 400 BadRequest', async () => {
    const json = expectStatus(await send({ method: 'POST', path: CM_PATH, body: '{"metadata": {"name": "broken"', contentType: 'application/json' }), 400, 'BadRequest');
    assert.match(json.message ?? '', /JSON/i);
    const yaml = expectStatus(await send({ method: 'POST', path: CM_PATH, body: 'metadata:\n  name: [unclosed\n  data: x', contentType: 'application/yaml' }), 400, 'BadRequest');
    assert.match(yaml.message ?? '', /YAML/i);
    expectStatus(await send({ method: 'POST', path: CM_PATH, body: '[1, 2, 3]' }), 400, 'BadRequest');
    expectStatus(await send({ method: 'POST', path: CM_PATH, body: '"just a string"' }), 400, 'BadRequest');
    const patch = expectStatus(
      await send({ method: 'PATCH', path: '/api/v1/namespaces/default', body: '{"metadata":', contentType: 'application/merge-patch+json' }),
      400,
      'BadRequest',
    );
    assert.match(patch.message ?? '', /JSON/i);
  });

  it('a kind or apiVersion that does not belong to the path is 400', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'wrong-kind' }, data: {} };
    const s = expectStatus(await send({ method: 'POST', path: CM_PATH, body: secret }), 400, 'BadRequest');
    assert.match(s.message ?? '', /Secret/);
    const apps = { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'wrong-version' } };
    expectStatus(await send({ method: 'POST', path: CM_PATH, body: apps }), 400, 'BadRequest');
    expectStatus(await send({ path: `${CM_PATH}/wrong-kind` }), 404, 'NotFound');
  });

  it('a namespace in the body that contradicts the path is 400', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'kube-system' }, data: {} };
    const s = expectStatus(await send({ method: 'POST', path: CM_PATH, body }), 400, 'BadRequest');
    assert.match(s.message ?? '', /namespace/);
    expectStatus(await send({ path: '/api/v1/namespaces/kube-system/configmaps/elsewhere' }), 404, 'NotFound');
  });

  it('bodies over 3 MiB are 413, whether sized up front or streamed', async () => {
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { blob: 'x'.repeat(3 * 1024 * 1024 + 100) } };
    expectStatus(await send({ method: 'POST', path: CM_PATH, body: big }), 413, 'RequestEntityTooLarge');
    expectStatus(await send({ method: 'POST', path: CM_PATH, body: big, chunked: true }), 413, 'RequestEntityTooLarge');
    expectStatus(await send({ path: `${CM_PATH}/huge` }), 404, 'NotFound');
  });

  it('a ConfigMap over 1 MiB of data is 422 Invalid on data (the body itself is under 3 MiB)', async () => {
    const near = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'near' }, data: { blob: 'x'.repeat(1024 * 1024 + 10) } };
    const s = expectStatus(await send({ method: 'POST', path: CM_PATH, body: near }), 422, 'Invalid');
    assert.ok(s.details?.causes?.some((c) => c.field === 'data'), JSON.stringify(s.details));
  });

  it('invalid names and fields are 422 Invalid with the field path in the causes', async () => {
    const badName = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid' }, data: {} };
    const s = expectStatus(await send({ method: 'POST', path: CM_PATH, body: badName }), 422, 'Invalid');
    assert.ok(s.details?.causes?.some((c) => c.field === 'metadata.name' && c.reason === 'FieldValueInvalid'), JSON.stringify(s.details));
    assert.equal(s.details?.name, 'Not_Valid');
    assert.equal(s.details?.kind, 'ConfigMap');
    assert.match(s.message ?? '', /^ConfigMap "Not_Valid" is invalid: metadata\.name: Invalid value: "Not_Valid"/);

    const longName = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x'.repeat(64) } };
    const l = expectStatus(await send({ method: 'POST', path: '/api/v1/namespaces', body: longName }), 422, 'Invalid');
    assert.ok(l.details?.causes?.some((c) => c.field === 'metadata.name'), JSON.stringify(l.details));

    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'neg' },
      spec: { replicas: -2, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    const d = expectStatus(await send({ method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: deploy }), 422, 'Invalid');
    assert.ok(d.details?.causes?.some((c) => c.field === 'spec.replicas'), JSON.stringify(d.details));

    const strict = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, dta: {} };
    const st = expectStatus(await send({ method: 'POST', path: `${CM_PATH}?fieldValidation=Strict`, body: strict }), 400, 'BadRequest');
    assert.match(st.message ?? '', /unknown field "dta"/);
    const warned = await send({ method: 'POST', path: `${CM_PATH}?fieldValidation=Warn`, body: strict });
    assert.equal(warned.status, 201, warned.text);
    // RFC 7234 warning: `299 - "<text>"` with the quotes inside the text escaped.
    assert.equal(String(warned.headers.warning), '299 - "unknown field \\"dta\\""');
  });

  it('unknown body and patch media types are 415, unknown resources 404, wrong methods 405', async () => {
    const created = await send({ method: 'POST', path: CM_PATH, body: { metadata: { name: 'patchme' }, data: { a: 'b' } } });
    assert.equal(created.status, 201, created.text);
    expectStatus(await send({ method: 'PATCH', path: `${CM_PATH}/patchme`, body: '{}', contentType: 'text/plain' }), 415, 'UnsupportedMediaType');
    const binary = Buffer.concat([Buffer.from('k8s\u0000'), Buffer.from([0x0a, 0x0c, 0x0a, 0x02, 0x76, 0x31])]);
    expectStatus(await send({ method: 'POST', path: CM_PATH, body: binary, contentType: 'application/octet-stream' }), 415, 'UnsupportedMediaType');
    expectStatus(await send({ path: '/api/v1/namespaces/default/widgets' }), 404, 'NotFound');
    expectStatus(await send({ path: '/apis/nosuch.group/v1/things' }), 404, 'NotFound');
    expectStatus(await send({ path: `${CM_PATH}/does-not-exist` }), 404, 'NotFound');
    expectStatus(await send({ method: 'POST', path: `${CM_PATH}/patchme`, body: {} }), 405, 'MethodNotAllowed');
  });

  it('a path naming no resource answers 404 with empty details, as kubectl debug expects', async () => {
    // kubectl debug reads details.name of the 404 to tell "no ephemeral containers here" from a
    // missing pod; without details it panicked.
    for (const r of [
      { method: 'PATCH', path: `${CM_PATH}/patchme/nosuch`, body: {}, contentType: 'application/strategic-merge-patch+json' },
      { method: 'GET', path: '/api/v1/namespaces/default/widgets' },
      { method: 'GET', path: '/apis/nosuch.group/v1/things' },
    ]) {
      const s = expectStatus(await send(r), 404, 'NotFound');
      assert.deepEqual(s.details, {}, `${r.path}: ${JSON.stringify(s)}`);
    }
  });

  it('keeps answering kubectl after all of that', async () => {
    const r = await kubectl(['get', 'configmaps', '-n', 'default', '-o', 'name'], { kubeconfig: server.kubeconfig, env: { HOME: home } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('configmap/patchme'), r.stdout);
    const health = await send({ path: '/readyz', token: null });
    assert.equal(health.status, 200);
  });
});
