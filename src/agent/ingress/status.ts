// status.loadBalancer of the Ingresses we serve: the addresses clients can reach the controller
// on. Every agent runs the controller on its node, so the list is the InternalIP of every Ready
// node, sorted. Every agent computes the same list from its node informer and patches an
// Ingress only when its status differs, so writes are idempotent and agents that agree never
// write twice; a merge patch without a resourceVersion means agents never conflict either.
import { isIP } from 'node:net';
import type { Node } from '../../api/core/v1/index.js';
import type { Ingress } from '../../api/networking/v1/index.js';
import { ingressKind } from '../../api/refs/index.js';
import type { Client } from '../../client/index.js';

function compareIPs(a: string, b: string): number {
  const fa = isIP(a);
  const fb = isIP(b);
  if (fa !== fb) return fa - fb;
  if (fa === 4) {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const isReady = (n: Node): boolean => (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** InternalIPs of the Ready nodes, each once, sorted numerically. */
export function loadBalancerAddresses(nodes: readonly Node[]): string[] {
  const ips = new Set<string>();
  for (const n of nodes) {
    if (!isReady(n)) continue;
    const ip = (n.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address;
    if (ip) ips.add(ip);
  }
  return [...ips].sort(compareIPs);
}

/** Whether the Ingress already reports exactly these addresses (and nothing else). */
export function statusMatches(ing: Ingress, ips: readonly string[]): boolean {
  const cur = ing.status?.loadBalancer?.ingress ?? [];
  return cur.length === ips.length && cur.every((e, i) => e.ip === ips[i] && !e.hostname && !e.ports?.length);
}

export async function writeStatus(client: Client, ing: Ingress, ips: readonly string[]): Promise<void> {
  const body = { status: { loadBalancer: { ingress: ips.map((ip) => ({ ip })) } } };
  await client.patch(ingressKind, ing.metadata?.namespace, ing.metadata?.name ?? '', { type: 'merge', body }, { subresource: 'status' });
}
