// SPDY framing, header compression and sessions: every frame type survives an encode/decode
// round trip, the dictionary is the one the specification fixes, header blocks share one zlib
// context per direction (so later blocks compress against earlier ones), and a client and a
// server session over a real socket pair open streams, exchange data, half-close, reset, ping
// and close.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { decodeFrame, decodeHeaderBlock, encodeFrame, encodeHeaderBlock, FLAG_FIN, FrameSplitter, type Frame } from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './header-block.js';
import { SpdyConnection, type SpdyStream } from './index.js';

const read = (s: SpdyStream): Promise<string> =>
  new Promise((resolve) => {
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('end', () => resolve(out));
  });

async function socketPair(): Promise<[Socket, Socket, () => void]> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  const accepted = new Promise<Socket>((r) => srv.once('connection', r));
  const client = connect(port, '127.0.0.1');
  const server = await accepted;
  return [client, server, () => srv.close()];
}

describe('SPDY frames', () => {
  it('uses the 1,423-byte dictionary of the specification', () => {
    assert.equal(SPDY3_DICTIONARY.length, 1423);
    assert.equal(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex'), '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
    assert.equal(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\u0007options');
  });

  it('round-trips every frame type', () => {
    const frames: Frame[] = [
      { type: 'data', streamId: 7, flags: FLAG_FIN, data: Buffer.from('hello') },
      { type: 'syn_stream', streamId: 3, associatedId: 1, priority: 5, flags: 2, block: Buffer.from([1, 2, 3]) },
      { type: 'syn_reply', streamId: 3, flags: 1, block: Buffer.from([9]) },
      { type: 'headers', streamId: 5, flags: 0, block: Buffer.alloc(0) },
      { type: 'rst_stream', streamId: 9, status: 5 },
      { type: 'settings', flags: 1, entries: [{ id: 7, flags: 1, value: 65536 }, { id: 4, flags: 0, value: 100 }] },
      { type: 'ping', id: 0xfffffffe },
      { type: 'goaway', lastGoodStreamId: 11, status: 2 },
      { type: 'window_update', streamId: 1, delta: 4096 },
    ];
    for (const f of frames) assert.deepEqual(decodeFrame(encodeFrame(f)), f);
  });

  it('lays out control and data frame headers as the specification says', () => {
    const ping = encodeFrame({ type: 'ping', id: 1 });
    assert.deepEqual([...ping], [0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1]);
    const data = encodeFrame({ type: 'data', streamId: 0x01020304, flags: FLAG_FIN, data: Buffer.from('ab') });
    assert.deepEqual([...data], [1, 2, 3, 4, 1, 0, 0, 2, 0x61, 0x62]);
  });

  it('splits a byte stream into frames however it is chunked', () => {
    const bytes = Buffer.concat([encodeFrame({ type: 'ping', id: 1 }), encodeFrame({ type: 'data', streamId: 1, flags: 0, data: Buffer.alloc(300, 7) })]);
    const sp = new FrameSplitter();
    const got: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 5) got.push(...sp.push(bytes.subarray(i, i + 5)));
    assert.equal(got.length, 2);
    assert.equal(sp.buffered, 0);
    assert.deepEqual(decodeFrame(got[1] as Buffer), { type: 'data', streamId: 1, flags: 0, data: Buffer.alloc(300, 7) });
  });

  it('serialises header blocks with lower-case names and length prefixes', () => {
    const block = encodeHeaderBlock({ StreamType: 'error', port: '8080' });
    assert.equal(block.readUInt32BE(0), 2);
    assert.equal(block.subarray(8, 18).toString(), 'streamtype');
    assert.deepEqual(decodeHeaderBlock(block), { streamtype: 'error', port: '8080' });
  });

  it('compresses header blocks through one shared zlib context per direction', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    const blocks: Record<string, string>[] = [{ streamtype: 'error' }, { streamtype: 'stdout' }, { streamtype: 'stdout' }, {}, { port: '80', requestid: '0', streamtype: 'data' }];
    const sizes: number[] = [];
    for (const h of blocks) {
      const z = await c.compress(h);
      sizes.push(z.length);
      assert.deepEqual(await d.decompress(z), h);
    }
    // The repeated block compresses to a back-reference into the running context.
    assert.ok((sizes[2] ?? 0) < (sizes[1] ?? 0), `sizes ${sizes.join(',')}`);
    // A fresh decompressor cannot decode a later block: the context really is shared.
    const late = await c.compress({ streamtype: 'stdin' });
    await assert.rejects(new HeaderDecompressor().decompress(late));
    c.close();
    d.close();
  });
});

describe('SPDY sessions', () => {
  it('opens streams both ways, carries data with half-close, resets and pings', async () => {
    const [cs, ss, stop] = await socketPair();
    const accepted: SpdyStream[] = [];
    const server = new SpdyConnection(ss, {
      role: 'server',
      onStream: (s) => {
        accepted.push(s);
        if (s.headers.streamtype === 'refuse') return s.reset();
        void s.reply({ ok: 'yes' });
        if (s.headers.streamtype === 'echo') s.pipe(s);
      },
    });
    let fromServer: Promise<string> = Promise.resolve('');
    const client = new SpdyConnection(cs, {
      role: 'client',
      onStream: (s) => {
        fromServer = read(s);
        void s.reply();
      },
    });
    const echo = await client.openStream({ StreamType: 'echo' });
    assert.equal(echo.id, 1);
    const echoed = read(echo);
    echo.write('abc');
    echo.end(Buffer.alloc(100_000, 0x78));
    assert.equal((await echoed).length, 100_003);
    await assert.rejects(client.openStream({ streamtype: 'refuse' }), /reset/);
    assert.equal(accepted.length, 2);
    assert.ok((await client.ping()) >= 0);
    assert.ok((await server.ping()) >= 0);
    // The server may open streams too; they get even ids.
    const push = await server.openStream({ streamtype: 'push' });
    assert.equal(push.id, 2);
    push.end('from server');
    assert.equal(await fromServer, 'from server');
    await client.close();
    await server.closed;
    await client.closed;
    stop();
  });

  it('ends every stream when the connection drops', async () => {
    const [cs, ss, stop] = await socketPair();
    new SpdyConnection(ss, { role: 'server', onStream: (s) => void s.reply() });
    const client = new SpdyConnection(cs, { role: 'client' });
    const s = await client.openStream({ streamtype: 'stdout' });
    const ended = read(s);
    ss.destroy();
    assert.equal(await ended, '');
    await client.closed;
    stop();
  });
});
