// `tug server` serves the built dashboard (web/dist, from `npm run build`) under /dashboard/ to
// anyone, while the API beside it still demands a token.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawRequest } from '../support/raw-https.js';
import { startTugServer, type TugServer } from '../support/tug-server.js';

let server: TugServer;

before(async () => {
  server = await startTugServer();
});
after(async () => {
  await server?.cleanup();
});

describe('dashboard serving', () => {
  it('serves the app and its assets without a token; the API still answers 401', async () => {
    const page = await rawRequest(server, { path: '/dashboard/', token: null });
    assert.equal(page.status, 200, page.text);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.text, /<div id="root">/);
    const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    assert.ok(script, 'index.html references a script under /dashboard/assets/');
    const js = await rawRequest(server, { path: script, token: null });
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match(String(js.headers['cache-control']), /immutable/);

    const route = await rawRequest(server, { path: '/dashboard/ns/default/deployments/web', token: null });
    assert.equal(route.status, 200);
    assert.equal(route.text, page.text);

    assert.equal((await rawRequest(server, { path: '/api/v1/pods', token: null })).status, 401);
    assert.equal((await rawRequest(server, { path: '/', token: null })).status, 401);
  });
});
