// The exec WebSocket as the dashboard opens it: no Authorization header (a browser cannot send
// one), the token in a `base64url.bearer.authorization.k8s.io.` sub-protocol beside
// v5.channel.k8s.io. Against a real `tug server` relaying to a fake-runtime node agent: the
// handshake agrees on the channel protocol (never the token), the command's output arrives on
// channel 1 and its status on channel 3; a wrong, malformed or missing token is a 401.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { podKind, type Pod } from '../../src/api/core/v1/index.js';
import { eventually } from '../support/eventually.js';
import { startStreamingNode, type StreamingNode } from '../support/streaming-node.js';

const NS = 'default';
const PREFIX = 'base64url.bearer.authorization.k8s.io.';
const bearer = (token: string): string => `${PREFIX}${Buffer.from(token).toString('base64url')}`;

interface Session {
  protocol: string;
  channels: Map<number, string>;
}

/** Opens the exec WebSocket with the given sub-protocols and collects every channel until it closes. */
function execOver(n: StreamingNode, protocols: string[], query: string): Promise<Session> {
  const url = `wss://127.0.0.1:${n.srv.port}/api/v1/namespaces/${NS}/pods/box/exec?${query}`;
  const ws = new WebSocket(url, protocols, { ca: n.srv.caCertPem });
  const channels = new Map<number, string>();
  return new Promise((resolve, reject) => {
    ws.on('message', (m: Buffer) => {
      const ch = m[0] ?? -1;
      channels.set(ch, (channels.get(ch) ?? '') + m.subarray(1).toString());
    });
    ws.once('close', () => resolve({ protocol: ws.protocol, channels }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode ?? 0}`)));
    ws.once('error', reject);
  });
}

describe('exec WebSocket with the token in a sub-protocol', () => {
  let n: StreamingNode;

  before(async () => {
    n = await startStreamingNode({ nodeName: 'ws-auth-node' });
    await n.client.create<Pod>(podKind, NS, { metadata: { name: 'box', namespace: NS }, spec: { nodeName: n.nodeName, containers: [{ name: 'app', image: 'busybox:1.36' }] } });
    await eventually(async () => (await n.client.get<Pod>(podKind, NS, 'box')).status?.containerStatuses?.[0]?.state?.running, { timeoutMs: 20_000, what: 'pod box running' });
  });
  after(async () => {
    await n?.stop();
  });

  it('agrees on v5.channel.k8s.io and runs the command', async () => {
    const s = await execOver(n, ['v5.channel.k8s.io', bearer(n.srv.token), 'v4.channel.k8s.io'], 'command=echo&command=ok&stdout=true&stderr=true');
    assert.equal(s.protocol, 'v5.channel.k8s.io');
    assert.equal(s.channels.get(1), 'ok\n');
    assert.equal(JSON.parse(s.channels.get(3) ?? '{}').status, 'Success');
  });

  it('falls back to v4.channel.k8s.io when that is all the client offers', async () => {
    const s = await execOver(n, [bearer(n.srv.token), 'v4.channel.k8s.io'], 'command=echo&command=v4&stdout=true');
    assert.equal(s.protocol, 'v4.channel.k8s.io');
    assert.equal(s.channels.get(1), 'v4\n');
  });

  it('refuses a wrong, a malformed and a missing token with 401', async () => {
    const q = 'command=echo&command=no&stdout=true';
    await assert.rejects(execOver(n, ['v5.channel.k8s.io', bearer('not-the-token')], q), /HTTP 401/);
    await assert.rejects(execOver(n, ['v5.channel.k8s.io', `${PREFIX}${Buffer.from(n.srv.token).toString('base64url')}.x`], q), /HTTP 401/);
    await assert.rejects(execOver(n, ['v5.channel.k8s.io'], q), /HTTP 401/);
  });
});
