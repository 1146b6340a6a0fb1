// The routing table the data plane reads: built in one go from the informer caches whenever an
// Ingress, Service, EndpointSlice or referenced Secret changes, never modified afterwards, and
// swapped in by replacing one reference — so a request in flight keeps the backend it chose
// while new requests see the new table at once.
//
// Precedence, following the Ingress API and ingress-nginx:
// - host: an exact host beats the wildcard covering it (`*.example.com`, one label only), which
//   beats rules without a host; the chosen host's rules are the only ones tried;
// - path: the longest path wins, Exact before Prefix at equal length;
// - no path matches: the defaultBackend of the oldest Ingress with rules for that host, else the
//   defaultBackend of the oldest Ingress that has one, else nothing (the proxy answers 404);
// - two Ingresses claiming the same host, path and type: the older one (creationTimestamp, then
//   namespace/name) wins, as do its TLS certificates for a host both name.
import type { Ingress, IngressBackend } from '../../api/networking/v1/index.js';
import { resolvePool, type BackendSource, type Pool } from './backends.js';
import { compareMatchers, pathMatcher, pathMatches, wildcardFor, type PathMatcher } from './match.js';

export interface Route {
  pool: Pool;
  /** `namespace/name` of the Ingress that contributed the route. */
  ingress: string;
}

export interface PathRoute {
  matcher: PathMatcher;
  route: Route;
}

/** One host's share of the table (see RouteTable.layout). */
export interface HostLayout {
  /** Exact name, `*.example.com`, or '' for hosts no rule or certificate names. */
  host: string;
  /** Longest first, Exact before Prefix at equal length. */
  paths: readonly PathRoute[];
  /** Where requests no path matches go; none means 404. */
  fallback?: Route;
}

interface HostRoutes {
  paths: PathRoute[];
  fallback?: Route;
}

export interface TableSource<C> extends BackendSource {
  /** Our Ingresses (class selection already applied). */
  ingresses: readonly Ingress[];
  /** The TLS context made from a kubernetes.io/tls Secret, or undefined when missing or unusable. */
  tlsContext(namespace: string, secretName: string): C | undefined;
}

const ingressKey = (ing: Ingress): string => `${ing.metadata?.namespace ?? ''}/${ing.metadata?.name ?? ''}`;

/** Oldest first; the API's timestamps are RFC 3339 in UTC, so they sort as strings. */
function byAge(a: Ingress, b: Ingress): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = ingressKey(a);
  const kb = ingressKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export class RouteTable<C = unknown> {
  static empty<C>(): RouteTable<C> {
    return new RouteTable<C>();
  }

  private readonly exact = new Map<string, HostRoutes>();
  private readonly wildcard = new Map<string, HostRoutes>();
  private any: HostRoutes | undefined;
  private fallback: Route | undefined;
  private readonly tlsExact = new Map<string, C>();
  private readonly tlsWildcard = new Map<string, C>();
  /** `namespace/name` of every Service and Secret the table depends on. */
  readonly services = new Set<string>();
  readonly secrets = new Set<string>();
  /** Human-readable reasons some routes or certificates are unusable. */
  readonly problems: string[] = [];
  /** Number of Ingresses the table was built from. */
  ingressCount = 0;

  private constructor() {}

  static build<C>(src: TableSource<C>): RouteTable<C> {
    const t = new RouteTable<C>();
    const pools = new Map<string, Pool>();
    const routeTo = (ing: Ingress, backend: IngressBackend): Route => {
      const ns = ing.metadata?.namespace ?? '';
      if (backend.service) t.services.add(`${ns}/${backend.service.name}`);
      const pool = resolvePool(ns, backend, src);
      const shared = pools.get(pool.key) ?? pool;
      if (shared === pool) {
        pools.set(pool.key, pool);
        if (pool.problem) t.problems.push(`${ingressKey(ing)}: ${pool.problem}`);
      }
      return { pool: shared, ingress: ingressKey(ing) };
    };
    const ingresses = [...src.ingresses].sort(byAge);
    t.ingressCount = ingresses.length;
    for (const ing of ingresses) {
      t.addRules(ing, routeTo);
      if (ing.spec?.defaultBackend) t.fallback ??= routeTo(ing, ing.spec.defaultBackend);
      t.addTls(ing, src);
    }
    for (const h of t.allHosts()) h.paths.sort((a, b) => compareMatchers(a.matcher, b.matcher));
    return t;
  }

  private hostRoutes(host: string): HostRoutes {
    if (!host) return (this.any ??= { paths: [] });
    const map = host.startsWith('*.') ? this.wildcard : this.exact;
    let h = map.get(host);
    if (!h) map.set(host, (h = { paths: [] }));
    return h;
  }

  private *allHosts(): Iterable<HostRoutes> {
    yield* this.exact.values();
    yield* this.wildcard.values();
    if (this.any) yield this.any;
  }

  private addRules(ing: Ingress, routeTo: (ing: Ingress, b: IngressBackend) => Route): void {
    for (const rule of ing.spec?.rules ?? []) {
      const h = this.hostRoutes((rule.host ?? '').toLowerCase());
      for (const p of rule.http?.paths ?? []) {
        if (!p.backend) continue;
        const matcher = pathMatcher(p.path, p.pathType);
        if (h.paths.some((x) => x.matcher.kind === matcher.kind && x.matcher.path === matcher.path)) continue;
        h.paths.push({ matcher, route: routeTo(ing, p.backend) });
      }
      if (ing.spec?.defaultBackend) h.fallback ??= routeTo(ing, ing.spec.defaultBackend);
    }
  }

  private addTls(ing: Ingress, src: TableSource<C>): void {
    const ns = ing.metadata?.namespace ?? '';
    for (const tls of ing.spec?.tls ?? []) {
      if (!tls.secretName) continue;
      this.secrets.add(`${ns}/${tls.secretName}`);
      const ctx = src.tlsContext(ns, tls.secretName);
      if (ctx === undefined) {
        this.problems.push(`${ingressKey(ing)}: TLS secret ${ns}/${tls.secretName} is missing or not a usable kubernetes.io/tls secret`);
        continue;
      }
      // Without hosts the entry covers the Ingress's own rule hosts.
      const hosts = tls.hosts?.length ? tls.hosts : (ing.spec?.rules ?? []).map((r) => r.host ?? '').filter(Boolean);
      for (const raw of hosts) {
        const host = raw.toLowerCase();
        const map = host.startsWith('*.') ? this.tlsWildcard : this.tlsExact;
        if (!map.has(host)) map.set(host, ctx);
      }
    }
  }

  /** The rules a host is served from: its own, else its one-label wildcard's, else those without a host. */
  private rulesFor(host: string): HostRoutes | undefined {
    if (!host) return this.any;
    if (host.startsWith('*.')) return this.wildcard.get(host) ?? this.any;
    const h = this.exact.get(host);
    if (h) return h;
    const wc = wildcardFor(host);
    return (wc ? this.wildcard.get(wc) : undefined) ?? this.any;
  }

  /** The route for a request, or undefined when nothing matches (404). `host` must be normalised. */
  route(host: string, path: string): Route | undefined {
    const h = this.rulesFor(host);
    if (h) {
      for (const p of h.paths) if (pathMatches(p.matcher, path)) return p.route;
      if (h.fallback) return h.fallback;
    }
    return this.fallback;
  }

  /**
   * Every host name the table knows (rule hosts and TLS hosts, wildcards as `*.example.com`),
   * sorted, then '' for everything else, each with the paths it is served from in match order
   * and the route for requests no path matches — the same answers `route` gives, laid out for a
   * data plane that matches hosts and paths itself (nginx server blocks and locations).
   */
  layout(): HostLayout[] {
    const names = new Set([...this.exact.keys(), ...this.wildcard.keys(), ...this.tlsExact.keys(), ...this.tlsWildcard.keys()]);
    return [...[...names].sort(), ''].map((host) => {
      const h = this.rulesFor(host);
      const fallback = h?.fallback ?? this.fallback;
      return { host, paths: h?.paths ?? [], ...(fallback ? { fallback } : {}) };
    });
  }

  /** Every distinct pool routes point at, by key. */
  pools(): Pool[] {
    const out = new Map<string, Pool>();
    const add = (r: Route | undefined): void => void (r && out.set(r.pool.key, r.pool));
    for (const h of this.allHosts()) {
      for (const p of h.paths) add(p.route);
      add(h.fallback);
    }
    add(this.fallback);
    return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The certificate for a TLS server name (SNI) or a `*.example.com` pattern, or undefined for the default one. */
  tlsFor(serverName: string): C | undefined {
    const host = serverName.toLowerCase();
    const exact = this.tlsExact.get(host);
    if (exact !== undefined) return exact;
    const wc = wildcardFor(host);
    return wc ? this.tlsWildcard.get(wc) : undefined;
  }
}
