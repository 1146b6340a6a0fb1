// Registry credentials for an image from the pod's imagePullSecrets: Secrets of type
// kubernetes.io/dockerconfigjson (`.dockerconfigjson`, {"auths": {...}}) or kubernetes.io/dockercfg
// (`.dockercfg`, the entries directly). An entry matches when its host (glob-able, as
// `*.example.com`) and port equal the image's registry and its path is a prefix of the image's
// repository; Docker Hub answers to its several historical names. The most specific entries come
// first; the kubelet tries them in turn.
import { Buffer } from 'node:buffer';
import type { Secret } from '../../api/core/v1/index.js';
import type { AuthConfig } from '../cri/index.js';

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

interface DockerEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** Registry host[:port] and repository path of an image reference, as containerd normalises it. */
export function parseImageRef(image: string): { registry: string; path: string } {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.indexOf('/');
  const first = slash < 0 ? '' : noDigest.slice(0, slash);
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : DOCKER_HUB;
  let path = hasRegistry ? noDigest.slice(slash + 1) : noDigest;
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) path = path.slice(0, colon);
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  return { registry, path };
}

function parseKey(key: string): { host: string; port: string; path: string } {
  const url = new URL(/^[a-z]+:\/\//i.test(key) ? key : `https://${key}`);
  let path = url.pathname.replace(/^\/+|\/+$/g, '');
  // Docker Hub's legacy key is https://index.docker.io/v1/; the /v1 and /v2 are API versions, not repositories.
  if (/^v[12]$/.test(path)) path = '';
  return { host: url.hostname.toLowerCase(), port: url.port, path };
}

const globMatch = (pattern: string, host: string): boolean => {
  const p = pattern.split('.');
  const h = host.split('.');
  return p.length === h.length && p.every((part, i) => part === '*' || part === h[i]);
};

function matches(key: string, image: { registry: string; path: string }): boolean {
  let k: ReturnType<typeof parseKey>;
  try {
    k = parseKey(key);
  } catch {
    return false;
  }
  const [imgHost = '', imgPort = ''] = image.registry.toLowerCase().split(':');
  const hostOk = DOCKER_HUB_ALIASES.has(imgHost) ? DOCKER_HUB_ALIASES.has(k.host) : globMatch(k.host, imgHost);
  if (!hostOk || k.port !== imgPort) return false;
  return k.path === '' || image.path === k.path || image.path.startsWith(`${k.path}/`);
}

function entriesOf(secret: Secret): Record<string, DockerEntry> {
  const data = secret.data ?? {};
  const decode = (b64: string): unknown => JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
  try {
    if (data['.dockerconfigjson']) return ((decode(data['.dockerconfigjson']) as { auths?: Record<string, DockerEntry> }).auths ?? {});
    if (data['.dockercfg']) return decode(data['.dockercfg']) as Record<string, DockerEntry>;
  } catch {
    return {};
  }
  return {};
}

/** Credentials that apply to `image`, most specific first. */
export function credentialsFor(image: string, secrets: Secret[]): AuthConfig[] {
  const ref = parseImageRef(image);
  const found: { key: string; auth: AuthConfig }[] = [];
  for (const secret of secrets) {
    for (const [key, e] of Object.entries(entriesOf(secret))) {
      if (!matches(key, ref)) continue;
      let { username, password } = e;
      if (e.auth && (!username || !password)) {
        const plain = Buffer.from(e.auth, 'base64').toString('utf8');
        const i = plain.indexOf(':');
        if (i > 0) [username, password] = [plain.slice(0, i), plain.slice(i + 1)];
      }
      const auth: AuthConfig = { serverAddress: ref.registry };
      if (username) auth.username = username;
      if (password) auth.password = password;
      if (e.auth) auth.auth = e.auth;
      if (e.identitytoken) auth.identityToken = e.identitytoken;
      if (e.registrytoken) auth.registryToken = e.registrytoken;
      found.push({ key, auth });
    }
  }
  return found.sort((a, b) => b.key.length - a.key.length).map((f) => f.auth);
}
