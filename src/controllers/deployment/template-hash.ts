// The pod-template-hash that names a Deployment's ReplicaSets (`<deployment>-<hash>`) and labels
// their pods, and the comparison that finds the ReplicaSet of a template. The hash is FNV-1a
// (32-bit) over the template's canonical JSON plus the collision count, printed as decimal and
// mapped onto Kubernetes' "safe" alphabet (no vowels, no look-alike characters), so names read
// like Kubernetes' own. Templates are compared semantically, ignoring the hash label, because
// `kubectl rollout undo` writes back a ReplicaSet's template after a trip through Go types.
import type { PodTemplateSpec } from '../../api/core/v1/index.js';
import { canonicalJson, semanticEqual } from '../replicaset/index.js';
import { POD_TEMPLATE_HASH } from './annotations.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Pod template fields that are pointers in Kubernetes' Go types: for them 0 or false is a value
 * of its own (runAsUser: 0 is root; automountServiceAccountToken: false turns the token off), so
 * they survive kubectl's round trip and must count in comparisons. Zeros of other fields are
 * dropped by that round trip and mean the same as unset.
 */
const POINTER_FIELDS: ReadonlySet<string> = new Set([
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'runAsNonRoot',
  'readOnlyRootFilesystem',
  'allowPrivilegeEscalation',
  'privileged',
  'automountServiceAccountToken',
  'shareProcessNamespace',
  'setHostnameAsFQDN',
  'enableServiceLinks',
  'hostUsers',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'priority',
  'defaultMode',
  'mode',
  'optional',
  'expirationSeconds',
]);
const SEMANTICS = { keepZero: POINTER_FIELDS };

function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Maps each character onto the safe alphabet, as Kubernetes' SafeEncodeString does. */
function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

export function templateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  const text = canonicalJson(withoutHash(template), SEMANTICS) + (collisionCount ? `#${collisionCount}` : '');
  return safeEncode(String(fnv1a32(text)));
}

function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  const labels = template?.metadata?.labels;
  if (!labels || !(POD_TEMPLATE_HASH in labels)) return template;
  const copy = structuredClone(template);
  delete copy.metadata?.labels?.[POD_TEMPLATE_HASH];
  return copy;
}

/** True when the templates are the same apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b), SEMANTICS);
}
