// The CNI network list a node's containerd hands every pod sandbox: a Linux bridge per node with
// the node's pod CIDR in host-local IPAM (the bridge is the pods' gateway, hairpin on so a pod can
// reach itself through a Service) and `portmap` for hostPort. No `loopback` plugin: containerd's
// CRI already brings each sandbox's `lo` up as a network of its own (cached as `cni-loopback`),
// and a second run only cost every pod start one more plugin process. Masquerading is left
// off here because the node does it with its own nftables rule (see masquerade.ts), which only
// rewrites traffic leaving the cluster CIDR, so pod-to-pod traffic across nodes keeps its source.
// The file is written atomically (temp name, then rename) because containerd watches the
// directory and would otherwise load a half-written file.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCidr, type Ipv4Cidr } from './cidr.js';

/** containerd loads the alphabetically first config in its CNI conf dir. */
export const CONFLIST_FILE = '10-tugboat.conflist';
export const CNI_VERSION = '1.0.0';

export interface ConflistOptions {
  /** CNI network name; also the prefix of libcni's result cache entries for this node. */
  networkName: string;
  bridgeName: string;
  podCIDR: Ipv4Cidr;
  /** host-local's own lease directory, so agents on one machine never share leases. */
  ipamDataDir: string;
}

export interface Conflist {
  cniVersion: string;
  name: string;
  plugins: Record<string, unknown>[];
}

const LINK_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** Linux link names: at most 15 bytes, no slashes or spaces. */
export function validBridgeName(name: string): boolean {
  return LINK_NAME.test(name) && name !== '.' && name !== '..';
}

export function buildConflist(o: ConflistOptions): Conflist {
  if (!validBridgeName(o.bridgeName)) throw new Error(`invalid bridge name ${JSON.stringify(o.bridgeName)}: at most 15 letters, digits, '.', '_' or '-'`);
  return {
    cniVersion: CNI_VERSION,
    name: o.networkName,
    plugins: [
      {
        type: 'bridge',
        bridge: o.bridgeName,
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: formatCidr(o.podCIDR) }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: o.ipamDataDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

/** Writes the conflist so that a watcher never sees a partial file. */
export async function writeConflist(confDir: string, conflist: Conflist): Promise<string> {
  await mkdir(confDir, { recursive: true });
  const path = join(confDir, CONFLIST_FILE);
  // libcni only loads *.conf, *.conflist and *.json, so the temporary name is never picked up.
  const tmp = join(confDir, `.${CONFLIST_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(conflist, null, 2)}\n`, { mode: 0o644 });
  await rename(tmp, path);
  return path;
}

export async function removeConflist(confDir: string): Promise<void> {
  await rm(join(confDir, CONFLIST_FILE), { force: true });
}

export async function conflistExists(confDir: string): Promise<boolean> {
  return stat(join(confDir, CONFLIST_FILE)).then(
    () => true,
    () => false,
  );
}
