// Addresses for ExternalName backends on the nginx data plane. nginx's balancer only takes IP
// addresses, so, as ingress-nginx does (its balancer resolves a backend's external name through
// DNS and re-resolves it on every backend sync), the plane resolves each external name itself and
// lists the answers in the endpoints file like any other endpoints; the request keeps the
// client's Host header, as ingress-nginx's does unless told otherwise. Names are asked of the
// cluster DNS when the agent runs one — so `svc.ns.svc.cluster.local`, the usual target of an
// ExternalName Service, works — and, when it has no answer, of the host's resolver (hosts file
// included). Answers are kept and refreshed every REFRESH_MS while a table uses the name;
// `onChange` fires when a name's addresses change, so the endpoints file is rewritten (no reload).
import { isIP } from 'node:net';
import { lookup, Resolver } from 'node:dns/promises';

/** How often names in use are resolved again (ingress-nginx re-resolves on each 1 s sync; DNS TTLs are 5–30 s in clusters). */
export const REFRESH_MS = 5_000;

export interface ExternalNamesOptions {
  /** DNS servers (`ip` or `ip:port`) asked first: the node's cluster DNS. */
  nameservers?: readonly string[];
  onChange(): void;
  log(msg: string): void;
  refreshMs?: number;
}

export class ExternalNames {
  private readonly known = new Map<string, readonly string[]>();
  private readonly pending = new Set<string>();
  private wanted = new Set<string>();
  private readonly resolver: Resolver | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: ExternalNamesOptions) {
    if (o.nameservers?.length) {
      this.resolver = new Resolver({ timeout: 2_000, tries: 2 });
      this.resolver.setServers([...o.nameservers]);
    }
  }

  /** The addresses last resolved for `host` (itself when it is an IP); [] until the first answer. */
  addresses(host: string): readonly string[] {
    if (isIP(host)) return [host];
    const name = host.replace(/\.$/, '').toLowerCase();
    if (!this.known.has(name)) this.resolve(name);
    return this.known.get(name) ?? [];
  }

  /** Names the current table uses; others are forgotten. Starts the refresh timer if needed. */
  use(hosts: Iterable<string>): void {
    this.wanted = new Set([...hosts].filter((h) => !isIP(h)).map((h) => h.replace(/\.$/, '').toLowerCase()));
    for (const name of [...this.known.keys()]) if (!this.wanted.has(name)) this.known.delete(name);
    if (this.wanted.size > 0 && !this.timer) {
      this.timer = setInterval(() => {
        for (const name of this.wanted) this.resolve(name);
      }, this.o.refreshMs ?? REFRESH_MS);
      this.timer.unref();
    } else if (this.wanted.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private resolve(name: string): void {
    if (this.pending.has(name)) return;
    this.pending.add(name);
    this.query(name)
      .then((ips) => {
        const before = this.known.get(name);
        if (!this.wanted.has(name) && before === undefined && ips.length === 0) return;
        const sorted = [...new Set(ips)].sort();
        if (before && before.join() === sorted.join()) return;
        this.known.set(name, sorted);
        if (sorted.length === 0) this.o.log(`ingress: ExternalName ${name} resolves to no IPv4 address`);
        this.o.onChange();
      })
      .catch((err: unknown) => this.o.log(`ingress: resolving ExternalName ${name}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.pending.delete(name));
  }

  private async query(name: string): Promise<string[]> {
    if (this.resolver) {
      const ips = await this.resolver.resolve4(name).catch(() => [] as string[]);
      if (ips.length > 0) return ips;
    }
    const found = await lookup(name, { all: true, family: 4 }).catch(() => []);
    return found.map((a) => a.address);
  }
}
