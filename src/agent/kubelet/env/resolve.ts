// A container's environment, built the way Kubernetes' kubelet builds it: first every envFrom
// source in order (keys prefixed; keys that are not valid variable names skipped with an
// InvalidEnvironmentVariableNames event), then `env` in order — literal values with `$(VAR)`
// expanded against what is defined so far and the service variables, or values from a ConfigMap
// or Secret key (optional ones may be missing), a pod field or a resource value — and finally the
// service variables for names not already set. A required ConfigMap, Secret or key that is missing
// fails the container with CreateContainerConfigError.
import { Buffer } from 'node:buffer';
import type { ConfigMap, Pod, Secret, Service } from '../../../api/core/v1/index.js';
import type { EventRecorder } from '../../../client/index.js';
import type { PodContainer } from '../pod-config.js';
import { expand, lookupIn } from './expand.js';
import { podFieldValue, resourceFieldValue, type PodAddresses } from './field-ref.js';
import { serviceEnv, servicesForPod } from './service-env.js';

/** What env resolution reads from the API (the kubelet's informer caches). */
export interface EnvObjects {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  services(namespaces: string[]): Promise<Service[]>;
}

/** A container cannot be configured yet (CreateContainerConfigError): a missing ConfigMap, Secret or key. */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

export interface EnvInput {
  pod: Pod;
  container: PodContainer;
  objects: EnvObjects;
  addresses: PodAddresses;
  /** The node's allocatable resources: the value of a limit the container does not set. */
  allocatable: Record<string, string>;
  recorder: EventRecorder;
}

// Kubernetes 1.32 accepts any printable ASCII except '=' in variable names (relaxed validation).
const VALID_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

/** The container's environment in definition order; `$(VAR)` in command/args expands against it. */
export async function containerEnv(i: EnvInput): Promise<Map<string, string>> {
  const ns = i.pod.metadata?.namespace ?? 'default';
  const services = servicesForPod(await i.objects.services([...new Set([ns, 'default'])]), { namespace: ns, enableServiceLinks: i.pod.spec?.enableServiceLinks ?? true });
  const svcEnv = serviceEnv(services);
  const env = new Map<string, string>();

  for (const from of i.container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let data: Record<string, string> | undefined;
    let what = '';
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      what = `configMap ${ns}/${name}`;
      const cm = await i.objects.configMap(ns, name);
      if (!cm && !from.configMapRef.optional) throw new ContainerConfigError(`configmap "${name}" not found`);
      data = cm?.data ?? {};
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      what = `secret ${ns}/${name}`;
      const secret = await i.objects.secret(ns, name);
      if (!secret && !from.secretRef.optional) throw new ContainerConfigError(`secret "${name}" not found`);
      data = Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, decode(v)]));
    }
    const invalid: string[] = [];
    for (const [k, v] of Object.entries(data ?? {})) {
      const name = prefix + k;
      if (!VALID_NAME.test(name)) invalid.push(name);
      else env.set(name, v);
    }
    if (invalid.length > 0) {
      i.recorder.event(
        i.pod,
        'Warning',
        'InvalidEnvironmentVariableNames',
        `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${what} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  const lookup = lookupIn(env, svcEnv);
  for (const e of i.container.env ?? []) {
    const value = await envValue(i, e, { ns, lookup });
    if (value !== undefined) env.set(e.name, value);
  }
  for (const [k, v] of svcEnv) if (!env.has(k)) env.set(k, v);
  return env;
}

type EnvVar = NonNullable<PodContainer['env']>[number];

async function envValue(i: EnvInput, e: EnvVar, o: { ns: string; lookup: (name: string) => string | undefined }): Promise<string | undefined> {
  if (e.value) return expand(e.value, o.lookup);
  const from = e.valueFrom;
  if (!from) return '';
  if (from.fieldRef) return podFieldValue(i.pod, from.fieldRef.fieldPath, i.addresses);
  if (from.resourceFieldRef) return resourceFieldValue({ pod: i.pod, container: i.container, ref: from.resourceFieldRef, allocatable: i.allocatable });
  if (from.configMapKeyRef) {
    const { name = '', key, optional } = from.configMapKeyRef;
    const cm = await i.objects.configMap(o.ns, name);
    if (!cm) {
      if (optional) return undefined;
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    const v = cm.data?.[key] ?? (cm.binaryData?.[key] !== undefined ? decode(cm.binaryData[key]) : undefined);
    if (v === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${o.ns}/${name}`);
    }
    return v;
  }
  if (from.secretKeyRef) {
    const { name = '', key, optional } = from.secretKeyRef;
    const secret = await i.objects.secret(o.ns, name);
    if (!secret) {
      if (optional) return undefined;
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    const v = secret.data?.[key];
    if (v === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in Secret ${o.ns}/${name}`);
    }
    return decode(v);
  }
  return '';
}
