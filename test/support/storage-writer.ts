// A child process for crash-durability tests: opens a store through openBackend, creates keys
// `<prefix><i>` with value `value-<i>` one after another, and prints `<i> <revision>` on stdout
// after each create is acknowledged. The test kills it with SIGKILL mid-stream and then checks
// that every printed key survived. (On Linux, writes to a pipe are synchronous, so a printed line
// has left this process before the next create starts.)
import { parseArgs } from 'node:util';
import { openBackend } from '../../src/storage/index.js';

const { values } = parseArgs({
  options: {
    dsn: { type: 'string' },
    prefix: { type: 'string', default: '/durability/' },
    'key-prefix': { type: 'string' },
    count: { type: 'string', default: '1000000' },
  },
});
if (!values.dsn) throw new Error('usage: storage-writer --dsn DSN [--prefix P] [--key-prefix K] [--count N]');

const backend = await openBackend(values.dsn, { keyPrefix: values['key-prefix'] });
const count = Number(values.count);
const encoder = new TextEncoder();
for (let i = 0; i < count; i++) {
  const kv = await backend.create(`${values.prefix}${i}`, encoder.encode(`value-${i}`));
  process.stdout.write(`${i} ${kv.modRevision}\n`);
}
await backend.close();
