// Every scheduler plugin, by name, in one explicit map, and the default profile: which plugins
// run, in Kubernetes' default order (cheap filters first), with Kubernetes' default score
// weights.
import type { ProfileEntry } from '../framework/framework.js';
import type { PluginFactory } from '../framework/types.js';
import * as nodeUnschedulable from './node-unschedulable/index.js';
import * as nodeName from './node-name/index.js';
import * as taintToleration from './taint-toleration/index.js';
import * as nodeAffinity from './node-affinity/index.js';
import * as nodePorts from './node-ports/index.js';
import * as nodeResourcesFit from './node-resources-fit/index.js';
import * as volumeBinding from './volume-binding/index.js';
import * as podTopologySpread from './pod-topology-spread/index.js';
import * as interPodAffinity from './inter-pod-affinity/index.js';
import * as balancedAllocation from './balanced-allocation/index.js';

export const PLUGINS: Readonly<Record<string, PluginFactory>> = {
  [nodeUnschedulable.Name]: nodeUnschedulable.create,
  [nodeName.Name]: nodeName.create,
  [taintToleration.Name]: taintToleration.create,
  [nodeAffinity.Name]: nodeAffinity.create,
  [nodePorts.Name]: nodePorts.create,
  [nodeResourcesFit.Name]: nodeResourcesFit.create,
  [volumeBinding.Name]: volumeBinding.create,
  [podTopologySpread.Name]: podTopologySpread.create,
  [interPodAffinity.Name]: interPodAffinity.create,
  [balancedAllocation.Name]: balancedAllocation.create,
};

export const DEFAULT_PROFILE: readonly ProfileEntry[] = [
  { name: nodeUnschedulable.Name },
  { name: nodeName.Name },
  { name: taintToleration.Name, weight: 3 },
  { name: nodeAffinity.Name, weight: 2 },
  { name: nodePorts.Name },
  { name: nodeResourcesFit.Name, weight: 1 },
  { name: volumeBinding.Name },
  { name: podTopologySpread.Name, weight: 2 },
  { name: interPodAffinity.Name, weight: 2 },
  { name: balancedAllocation.Name, weight: 1 },
];
