// Kubernetes defaults for one container, applied in place: image pull policy from the image tag,
// termination-message settings, port protocols, probe timings, HTTP probe scheme and path, env
// field-selector versions, and quantity normalisation. Called for app, init and ephemeral
// containers alike.
import type { Container, EphemeralContainer, ContainerPort } from './container.js';
import type { Probe, LifecycleHandler } from './container-probe.js';
import type { ObjectFieldSelector, ResourceFieldSelector } from './container-env.js';
import { normalizeQuantity } from '../../../lib/quantity.js';

/** `Always` for `:latest` or untagged images, `IfNotPresent` for other tags and for digests. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const at = image.indexOf('@');
  const named = at < 0 ? image : image.slice(0, at);
  // A colon after the last slash separates the tag; one before it belongs to a registry port.
  const lastSegment = named.slice(named.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? (at < 0 ? 'latest' : '') : lastSegment.slice(colon + 1);
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export function defaultContainer(c: Container | EphemeralContainer): void {
  if (!c.imagePullPolicy && c.image) c.imagePullPolicy = defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  // Kubernetes serialises an unset resources block as {}, and kubectl output shows it.
  c.resources ??= {};
  normalizeResourceMap(c.resources.limits);
  normalizeResourceMap(c.resources.requests);
  for (const p of c.ports ?? []) defaultPort(p);
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) defaultFieldRef(e.valueFrom.fieldRef);
    if (e.valueFrom?.resourceFieldRef) defaultResourceFieldRef(e.valueFrom.resourceFieldRef);
  }
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
  if (c.lifecycle?.postStart) defaultHandler(c.lifecycle.postStart);
  if (c.lifecycle?.preStop) defaultHandler(c.lifecycle.preStop);
}

function defaultPort(p: ContainerPort): void {
  p.protocol ??= 'TCP';
}

export function defaultProbe(p: Probe): void {
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
  if (p.grpc) p.grpc.service ??= '';
}

function defaultHandler(h: Probe | LifecycleHandler): void {
  if (h.httpGet) {
    h.httpGet.path ??= '/';
    h.httpGet.scheme ??= 'HTTP';
  }
}

export function defaultFieldRef(f: ObjectFieldSelector): void {
  f.apiVersion ??= 'v1';
}

export function defaultResourceFieldRef(f: ResourceFieldSelector): void {
  // The divisor is a plain (non-pointer) quantity in Kubernetes, so it always serialises, as "0".
  f.divisor = f.divisor === undefined ? '0' : normalizeQuantity(f.divisor);
}

export function normalizeResourceMap(m: Record<string, string | number> | undefined): void {
  if (!m) return;
  for (const [k, v] of Object.entries(m)) m[k] = normalizeQuantity(v);
}
