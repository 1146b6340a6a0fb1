// Test support: a real containerd node of its own — a temporary directory holding containerd's
// state, its CNI conf dir with a bridge conflist (own bridge name, own host-local range and IPAM
// state, portmap chained), and the managed ContainerdRuntime on top — plus a teardown that removes
// every sandbox, stops containerd by PID, deletes the bridge and the directory. Tests on one
// machine, or several engineers' runs, never share a bridge, range or socket.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ContainerdRuntime } from './containerd-runtime.js';

const run = promisify(execFile);

export interface TestNode {
  dir: string;
  runtime: ContainerdRuntime;
  bridge: string;
  subnet: string;
  cniConfDir: string;
  logRoot: string;
  /** Starts another runtime on the same data dir (an agent restart). */
  reopen(): ContainerdRuntime;
  teardown(): Promise<void>;
}

/** A bridge + portmap conflist, as the agent's network code writes one per node. */
export function bridgeConflist(o: { name: string; bridge: string; subnet: string; ipamDir: string }): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: o.name,
      plugins: [
        {
          type: 'bridge',
          bridge: o.bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: { type: 'host-local', ranges: [[{ subnet: o.subnet }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: o.ipamDir },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

export async function startTestNode(opts: { log?: (m: string) => void } = {}): Promise<TestNode> {
  const dir = await mkdtemp(join(tmpdir(), 'tugct-'));
  const tag = randomBytes(3).toString('hex');
  // Interface names are at most 15 bytes; 10.200-239.x.0/24 stays clear of 10.244/16 pod ranges.
  const bridge = `tugct${tag}`;
  const subnet = `10.${200 + (parseInt(tag.slice(0, 2), 16) % 40)}.${parseInt(tag.slice(2, 4), 16)}.0/24`;
  const cniConfDir = join(dir, 'net.d');
  const logRoot = join(dir, 'pod-logs');
  await mkdir(cniConfDir, { recursive: true });
  await writeFile(join(cniConfDir, '10-tugboat-test.conflist'), bridgeConflist({ name: `tugboat-test-${tag}`, bridge, subnet, ipamDir: join(dir, 'ipam') }));
  const make = (): ContainerdRuntime => new ContainerdRuntime({ dataDir: join(dir, 'agent'), cniConfDir, ...(opts.log ? { log: opts.log } : {}) });
  const node: TestNode = {
    dir,
    runtime: make(),
    bridge,
    subnet,
    cniConfDir,
    logRoot,
    reopen: () => (node.runtime = make()),
    async teardown() {
      const rt = node.runtime;
      try {
        await rt.ready;
        for (const sb of await rt.listPodSandbox()) await rt.removePodSandbox(sb.id);
      } catch {
        // Still stop containerd and remove what we can.
      }
      await rt.close();
      await run('ip', ['link', 'del', bridge]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await node.runtime.ready.catch(async (err: unknown) => {
    await node.teardown();
    throw err;
  });
  return node;
}
