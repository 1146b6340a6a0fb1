// How a request's host and path are compared with Ingress rules, as the Ingress API specifies:
// Exact paths match the whole path, Prefix paths match whole path elements (`/foo` covers `/foo`
// and `/foo/bar`, never `/foobar`), and a wildcard host `*.example.com` covers exactly one extra
// leading label. ImplementationSpecific paths are treated as Prefix here, as ingress-nginx does
// for paths that are not regular expressions.
export type MatchKind = 'Exact' | 'Prefix';

export interface PathMatcher {
  kind: MatchKind;
  /** Exact: the path itself. Prefix: the path without a trailing slash, '' for `/`. */
  path: string;
}

/** The matcher for a rule path; an empty ImplementationSpecific path means everything. */
export function pathMatcher(path: string | undefined, pathType: string | undefined): PathMatcher {
  const p = path || '/';
  if (pathType === 'Exact') return { kind: 'Exact', path: p };
  return { kind: 'Prefix', path: p.replace(/\/+$/, '') };
}

export function pathMatches(m: PathMatcher, requestPath: string): boolean {
  if (m.kind === 'Exact') return requestPath === m.path;
  if (m.path === '') return true;
  if (!requestPath.startsWith(m.path)) return false;
  return requestPath.length === m.path.length || requestPath.charCodeAt(m.path.length) === 47; // '/'
}

/**
 * Orders matchers so the first match is the one Kubernetes prefers: the longest path wins, and
 * at equal length Exact beats Prefix. Prefix lengths ignore the trailing slash, so `/foo/` and
 * `/foo` tie (both cover the same requests).
 */
export function compareMatchers(a: PathMatcher, b: PathMatcher): number {
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  if (a.kind !== b.kind) return a.kind === 'Exact' ? -1 : 1;
  return 0;
}

/** The path part of a request target (`/a/b?x=1` → `/a/b`); absolute-form targets are reduced too. */
export function requestPath(url: string | undefined): string {
  let u = url || '/';
  if (!u.startsWith('/')) {
    const scheme = u.indexOf('://');
    if (scheme >= 0) {
      const slash = u.indexOf('/', scheme + 3);
      u = slash < 0 ? '/' : u.slice(slash);
    }
  }
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

/** A Host header reduced to the name rules are written with: lower case, no port, no final dot. */
export function normalizeHost(host: string | undefined): string {
  if (!host) return '';
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.lastIndexOf(':');
  if (colon >= 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** The wildcard rule host that could cover `host` (`a.b.com` → `*.b.com`), or undefined. */
export function wildcardFor(host: string): string | undefined {
  const dot = host.indexOf('.');
  if (dot <= 0 || dot === host.length - 1) return undefined;
  return `*${host.slice(dot)}`;
}
