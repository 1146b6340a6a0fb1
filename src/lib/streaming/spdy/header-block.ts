// Header compression for one SPDY connection. Each direction has ONE zlib stream, primed with the
// SPDY/3 dictionary, that runs for the life of the connection: every header block is appended to
// it and sync-flushed, so a block can only be decoded after every earlier one. Node's zlib is
// asynchronous, so both directions serialise their blocks through a promise chain; the
// connection in turn awaits them in frame order.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { decodeHeaderBlock, encodeHeaderBlock } from './frames.js';

type ZStream = Deflate | Inflate;

/** Writes one chunk, sync-flushes, and returns all the output produced for it. */
function pass(z: ZStream, chunk: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    z.once('error', onError);
    z.write(chunk);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('error', onError);
      const out: Buffer[] = [];
      for (let c = z.read() as Buffer | null; c !== null; c = z.read() as Buffer | null) out.push(c);
      resolve(Buffer.concat(out));
    });
  });
}

class Serial {
  private chain: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

export class HeaderCompressor {
  private readonly z = createDeflate({ dictionary: SPDY3_DICTIONARY, level: constants.Z_BEST_COMPRESSION });
  private readonly serial = new Serial();

  compress(headers: Record<string, string>): Promise<Buffer> {
    return this.serial.run(() => pass(this.z, encodeHeaderBlock(headers)));
  }

  close(): void {
    this.z.destroy();
  }
}

export class HeaderDecompressor {
  private readonly z = createInflate({ dictionary: SPDY3_DICTIONARY });
  private readonly serial = new Serial();

  decompress(block: Buffer): Promise<Record<string, string>> {
    return this.serial.run(async () => decodeHeaderBlock(await pass(this.z, block)));
  }

  close(): void {
    this.z.destroy();
  }
}
