// Parses a Kubernetes REST path into what it addresses: /api/v1/... for the core group and
// /apis/<group>/<version>/... for the others, optionally under namespaces/<ns>, then
// <resource>[/<name>[/<subresource>]]. The legacy /watch/ prefix is accepted too.
// Namespaces are themselves a resource, so /api/v1/namespaces/<name>/status (or /finalize) is
// a namespace's subresource, not a resource called "status" inside it.

export interface ResourcePath {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The path used the deprecated /watch/ prefix. */
  legacyWatch: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseResourcePath(pathname: string): ResourcePath | undefined {
  // Every request is parsed here (twice: authorization and routing), so only segments that hold
  // an escape pay for decoding.
  const parts: string[] = [];
  for (const p of pathname.split('/')) if (p.length > 0) parts.push(p.includes('%') ? decodeURIComponent(p) : p);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] as string;
    version = parts[2] as string;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2] as string))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length < 1 || rest.length > 3) return undefined;
  const [plural, name, subresource] = rest as [string, string?, string?];
  return {
    group,
    version,
    plural,
    legacyWatch,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}
