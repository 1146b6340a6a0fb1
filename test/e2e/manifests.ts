// The manifests the kubectl end-to-end scenario applies: one multi-document file with an object
// of every kind Tugboat serves (plain, valid Kubernetes YAML a user would write), a variant with
// a small change to two of them, and the names kubectl prints for each object. Keeping them in
// one place lets the scenario assert every `created` / `configured` / `unchanged` line.
// The Endpoints port states its protocol because apply replaces `subsets` as a whole: leaving it
// to the server's default would make every apply `configured`, on Kubernetes as well.

export const NS = 'e2e';

/** One object of the multi-document file: what kubectl calls it in `apply` output and `get`. */
export interface ManifestObject {
  /** `deployment.apps`, `configmap`, ... as kubectl prints it before the slash. */
  resource: string;
  name: string;
  namespaced: boolean;
}

export const OBJECTS: readonly ManifestObject[] = [
  { resource: 'namespace', name: NS, namespaced: false },
  { resource: 'serviceaccount', name: 'builder', namespaced: true },
  { resource: 'configmap', name: 'app-config', namespaced: true },
  { resource: 'configmap', name: 'other-config', namespaced: true },
  { resource: 'secret', name: 'app-secret', namespaced: true },
  { resource: 'service', name: 'web', namespaced: true },
  { resource: 'endpoints', name: 'legacy', namespaced: true },
  { resource: 'pod', name: 'solo', namespaced: true },
  { resource: 'node', name: 'e2e-node-1', namespaced: false },
  { resource: 'event', name: 'solo.e2e-1', namespaced: true },
  { resource: 'persistentvolume', name: 'pv-e2e', namespaced: false },
  { resource: 'persistentvolumeclaim', name: 'data', namespaced: true },
  { resource: 'deployment.apps', name: 'web', namespaced: true },
  { resource: 'replicaset.apps', name: 'cache', namespaced: true },
  { resource: 'statefulset.apps', name: 'db', namespaced: true },
  { resource: 'daemonset.apps', name: 'agent', namespaced: true },
  { resource: 'controllerrevision.apps', name: 'db-rev1', namespaced: true },
  { resource: 'job.batch', name: 'once', namespaced: true },
  { resource: 'cronjob.batch', name: 'nightly', namespaced: true },
  { resource: 'ingressclass.networking.k8s.io', name: 'e2e', namespaced: false },
  { resource: 'ingress.networking.k8s.io', name: 'web', namespaced: true },
  { resource: 'endpointslice.discovery.k8s.io', name: 'web-abc', namespaced: true },
  { resource: 'lease.coordination.k8s.io', name: 'holder', namespaced: true },
  { resource: 'storageclass.storage.k8s.io', name: 'manual', namespaced: false },
];

/** The objects the changed manifest modifies (the rest must come back `unchanged`). */
export const CHANGED = new Set(['deployment.apps/web', 'configmap/app-config']);

const podTemplate = (app: string, image: string, restartPolicy?: string): string => `
    metadata:
      labels:
        app: ${app}
    spec:${restartPolicy ? `\n      restartPolicy: ${restartPolicy}` : ''}
      containers:
      - name: ${app}
        image: ${image}`;

/** The multi-document manifest; `changed` bumps the deployment's image and a configmap value. */
export function allKindsManifest(opts: { changed: boolean; deploymentImage?: string }): string {
  const image = opts.deploymentImage ?? (opts.changed ? 'nginx:1.26' : 'nginx:1.25');
  const mode = opts.changed ? 'green' : 'blue';
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
  labels:
    team: e2e
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
  namespace: ${NS}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: ${NS}
  labels:
    tier: frontend
data:
  mode: ${mode}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other-config
  namespace: ${NS}
  labels:
    tier: backend
data:
  level: debug
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
  namespace: ${NS}
type: Opaque
data:
  password: aHVudGVyMg==
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Endpoints
metadata:
  name: legacy
  namespace: ${NS}
subsets:
- addresses:
  - ip: 10.0.0.5
  ports:
  - name: http
    port: 8080
    protocol: TCP
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
  namespace: ${NS}
  labels:
    app: solo
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Node
metadata:
  name: e2e-node-1
  labels:
    disk: ssd
spec:
  unschedulable: true
  taints:
  - key: e2e/no-kubelet
    value: "true"
    effect: NoSchedule
---
apiVersion: v1
kind: Event
metadata:
  name: solo.e2e-1
  namespace: ${NS}
involvedObject:
  apiVersion: v1
  kind: Pod
  name: solo
  namespace: ${NS}
reason: Tested
message: the e2e suite was here
type: Normal
source:
  component: e2e
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-e2e
spec:
  capacity:
    storage: 1Gi
  accessModes: ["ReadWriteOnce"]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  hostPath:
    path: /tmp/pv-e2e
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: ${NS}
spec:
  accessModes: ["ReadWriteOnce"]
  storageClassName: manual
  resources:
    requests:
      storage: 1Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:${podTemplate('web', image)}
        ports:
        - containerPort: 8080
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: cache
  namespace: ${NS}
spec:
  replicas: 0
  selector:
    matchLabels:
      app: cache
  template:${podTemplate('cache', 'redis:7')}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: ${NS}
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels:
      app: db
  template:${podTemplate('db', 'postgres:16')}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: ${NS}
spec:
  selector:
    matchLabels:
      app: agent
  template:${podTemplate('agent', 'busybox:1.36')}
      nodeSelector:
        e2e/matches: nothing
---
apiVersion: apps/v1
kind: ControllerRevision
metadata:
  name: db-rev1
  namespace: ${NS}
revision: 1
data:
  spec:
    template:
      metadata:
        labels:
          app: db
---
apiVersion: batch/v1
kind: Job
metadata:
  name: once
  namespace: ${NS}
spec:
  backoffLimit: 2
  template:${podTemplate('once', 'busybox:1.36', 'Never')}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: ${NS}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:${podTemplate('nightly', 'busybox:1.36', 'OnFailure').replace(/\n/g, '\n    ')}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: e2e
spec:
  controller: tugboat.io/ingress
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: ${NS}
spec:
  ingressClassName: e2e
  rules:
  - host: web.example.test
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc
  namespace: ${NS}
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
endpoints:
- addresses: ["10.0.0.5"]
  conditions:
    ready: true
ports:
- name: http
  port: 8080
  protocol: TCP
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: holder
  namespace: ${NS}
spec:
  holderIdentity: e2e
  leaseDurationSeconds: 15
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: manual
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
`;
}

/** Objects `delete -f` removes: applied on their own so the main set stays for later steps. */
export const EXTRA_MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
  namespace: ${NS}
data:
  k: v
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: extra
  namespace: ${NS}
spec:
  selector:
    matchLabels:
      app: extra
  template:${podTemplate('extra', 'nginx:1.25')}
---
apiVersion: v1
kind: Service
metadata:
  name: extra
  namespace: ${NS}
spec:
  ports:
  - port: 81
`;
