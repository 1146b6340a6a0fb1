// Every controller the controller manager can run, by the name `--controllers` uses, in one
// explicit map.
import type { ControllerFactory } from './runtime/index.js';
import { replicaSetController } from './replicaset/index.js';
import { deploymentController } from './deployment/index.js';
import { daemonSetController } from './daemonset/index.js';
import { jobController } from './job/index.js';
import { cronJobController } from './cronjob/index.js';
import { ttlAfterFinishedController } from './ttlafterfinished/index.js';
import { statefulSetController } from './statefulset/index.js';
import { garbageCollectorController } from './garbagecollector/index.js';
import { namespaceController } from './namespace/index.js';
import { serviceAccountController } from './serviceaccount/index.js';
import { endpointSliceController } from './endpointslice/index.js';
import { endpointsController } from './endpoints/index.js';
import { nodeLifecycleController, taintEvictionController } from './nodelifecycle/index.js';
import { nodeIpamController } from './nodeipam/index.js';
import { persistentVolumeBinderController } from './persistentvolume/index.js';
import { localPathProvisionerController } from './localpath/index.js';
import { podGcController } from './podgc/index.js';
import { serviceLbController } from './servicelb/index.js';
import { rootCaCertPublisherController } from './rootcacert/index.js';
import { clusterRoleAggregationController } from './clusterroleaggregation/index.js';

export const CONTROLLERS: Record<string, ControllerFactory> = {
  replicaset: replicaSetController,
  deployment: deploymentController,
  daemonset: daemonSetController,
  statefulset: statefulSetController,
  job: jobController,
  cronjob: cronJobController,
  'ttl-after-finished': ttlAfterFinishedController,
  garbagecollector: garbageCollectorController,
  namespace: namespaceController,
  serviceaccount: serviceAccountController,
  endpointslice: endpointSliceController,
  endpoints: endpointsController,
  nodelifecycle: nodeLifecycleController,
  tainteviction: taintEvictionController,
  nodeipam: nodeIpamController,
  'persistentvolume-binder': persistentVolumeBinderController,
  'local-path-provisioner': localPathProvisionerController,
  podgc: podGcController,
  servicelb: serviceLbController,
  'root-ca-cert-publisher': rootCaCertPublisherController,
  'clusterrole-aggregation': clusterRoleAggregationController,
};

export { runControllerManager, selectControllers, type ManagerOptions } from './manager.js';
