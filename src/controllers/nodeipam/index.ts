// Public face of the node IPAM folder: the controller that gives each Node its pod CIDRs from
// the cluster CIDR (k3s's default 10.42.0.0/16 in /24s unless configured).
import type { ControllerFactory } from '../runtime/index.js';
import { NodeIpamController, buildSets, type NodeIpamOptions } from './controller.js';

export { DEFAULT_CLUSTER_CIDR, type NodeIpamOptions } from './controller.js';

/** The node IPAM controller for the given cluster CIDRs; a bad configuration throws here. */
export function nodeIpamControllerWith(opts: NodeIpamOptions): ControllerFactory {
  buildSets(opts);
  return (deps) => new NodeIpamController(deps, buildSets(opts));
}

export const nodeIpamController: ControllerFactory = nodeIpamControllerWith({});
