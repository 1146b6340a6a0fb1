// Image names and ids for the fake runtime: names are normalised the way containerd reports
// them (`nginx` → `docker.io/library/nginx:latest`) and ids are derived from the name, so pod
// statuses on hollow nodes show the same image/imageID shapes users see on real nodes.
import { createHash } from 'node:crypto';
import type { Image } from '../runtime.js';

/** `nginx` → `docker.io/library/nginx:latest`; `localhost/x` and `reg:5000/x:1` stay as they are. */
export function normalizeImageName(name: string): string {
  let ref = name;
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  if (slash < 0) ref = `docker.io/library/${ref}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') ref = `docker.io/${ref}`;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (!ref.includes('@') && !lastPart.includes(':')) ref = `${ref}:latest`;
  return ref;
}

const repoOf = (normalized: string): string => {
  const at = normalized.indexOf('@');
  if (at >= 0) return normalized.slice(0, at);
  const colon = normalized.lastIndexOf(':');
  return colon > normalized.lastIndexOf('/') ? normalized.slice(0, colon) : normalized;
};

export function fakeImage(name: string): Image {
  const normalized = normalizeImageName(name);
  const digest = createHash('sha256').update(normalized).digest('hex');
  return {
    id: `sha256:${digest}`,
    repoTags: normalized.includes('@') ? [] : [normalized],
    repoDigests: [`${repoOf(normalized)}@sha256:${digest}`],
    size: 1_048_576 + (Number.parseInt(digest.slice(0, 5), 16) % 65_536) * 64,
    spec: { image: normalized },
  };
}
