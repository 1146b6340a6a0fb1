// Which printer serves which resource, by plural name. One explicit map: a resource missing here
// gets the default NAME / CREATED AT table, as in Kubernetes.
import { controllerrevisions, daemonsets, deployments, replicasets, statefulsets } from './printers/apps.js';
import { cronjobs, jobs } from './printers/batch.js';
import { configmaps, leases, namespaces, secrets, serviceaccounts } from './printers/core.js';
import { defaultPrinter } from './printers/default.js';
import { events } from './printers/events.js';
import { endpointslices, ingressclasses, ingresses } from './printers/networking.js';
import { nodes } from './printers/nodes.js';
import { pods } from './printers/pods.js';
import { endpoints, services } from './printers/services.js';
import { persistentvolumeclaims, persistentvolumes, storageclasses } from './printers/storage.js';
import { clusterrolebindings, rolebindings } from './printers/rbac.js';
import type { Printer } from './types.js';

const PRINTERS: Readonly<Record<string, Printer>> = {
  pods,
  namespaces,
  services,
  endpoints,
  configmaps,
  secrets,
  nodes,
  events,
  serviceaccounts,
  persistentvolumes,
  persistentvolumeclaims,
  deployments,
  replicasets,
  statefulsets,
  daemonsets,
  controllerrevisions,
  jobs,
  cronjobs,
  ingresses,
  ingressclasses,
  endpointslices,
  leases,
  storageclasses,
  rolebindings,
  clusterrolebindings,
};

/** The printer for a resource (plural name, e.g. `deployments`), or the default one. */
export const printerFor = (resource: string): Printer =>
  Object.hasOwn(PRINTERS, resource) ? (PRINTERS[resource] as Printer) : defaultPrinter;

/** Resources with a printer of their own. */
export const printedResources = (): string[] => Object.keys(PRINTERS);
