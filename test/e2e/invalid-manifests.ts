// Manifests a real cluster rejects, each with the field path (and, where kubectl has one, the
// phrase) the user must see in kubectl's error. The scenario feeds each to `kubectl apply` or
// `kubectl create` and checks the stderr names the field and nothing was stored.
import { NS } from './manifests.js';

export interface InvalidManifest {
  title: string;
  /** `kubectl <verb> -f -`; apply is what users run, create covers objects without a name. */
  verb: 'apply' | 'create';
  yaml: string;
  /** kubectl get arguments that must find nothing afterwards. */
  absent?: string[];
  /** Every pattern must match stderr. */
  expect: RegExp[];
}

const deployment = (name: string, spec: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
${spec}`;

const selectorAndTemplate = (selectorApp: string, templateApp: string): string => `  selector:
    matchLabels:
      app: ${selectorApp}
  template:
    metadata:
      labels:
        app: ${templateApp}
    spec:
      containers:
      - name: c
        image: nginx:1.25
`;

export const INVALID_MANIFESTS: readonly InvalidManifest[] = [
  {
    title: 'negative replicas',
    verb: 'apply',
    yaml: deployment('bad-replicas', `  replicas: -1\n${selectorAndTemplate('app1', 'app1')}`),
    absent: ['deployment', 'bad-replicas', '-n', NS],
    expect: [/The Deployment "bad-replicas" is invalid/, /spec\.replicas: Invalid value: -1/],
  },
  {
    title: 'selector that does not match the template labels',
    verb: 'apply',
    yaml: deployment('bad-selector', selectorAndTemplate('one', 'two')),
    absent: ['deployment', 'bad-selector', '-n', NS],
    expect: [/is invalid/, /spec\.template\.metadata\.labels/],
  },
  {
    title: 'replicas of the wrong type',
    verb: 'apply',
    yaml: deployment('bad-type', `  replicas: two\n${selectorAndTemplate('app1', 'app1')}`),
    absent: ['deployment', 'bad-type', '-n', NS],
    expect: [/spec\.replicas/],
  },
  {
    title: 'a misspelt field under strict validation',
    verb: 'apply',
    yaml: deployment('bad-field', `  replica: 3\n${selectorAndTemplate('app1', 'app1')}`),
    absent: ['deployment', 'bad-field', '-n', NS],
    expect: [/unknown field "spec\.replica"/],
  },
  {
    title: 'an invalid object name',
    verb: 'apply',
    yaml: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  namespace: ${NS}\ndata:\n  a: b\n`,
    expect: [/The ConfigMap "Bad_Name" is invalid/, /metadata\.name: Invalid value: "Bad_Name"/],
  },
  {
    title: 'an invalid namespace name',
    verb: 'apply',
    yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Not-Valid\n',
    expect: [/metadata\.name: Invalid value: "Not-Valid"/],
  },
  {
    title: 'no name at all',
    verb: 'create',
    yaml: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: ${NS}\ndata:\n  a: b\n`,
    expect: [/metadata\.name: Required value/],
  },
  {
    title: 'a pod without containers',
    verb: 'apply',
    yaml: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: empty\n  namespace: ${NS}\nspec:\n  containers: []\n`,
    absent: ['pod', 'empty', '-n', NS],
    expect: [/The Pod "empty" is invalid/, /spec\.containers: Required value/],
  },
  {
    title: 'a service port out of range',
    verb: 'apply',
    yaml: `apiVersion: v1\nkind: Service\nmetadata:\n  name: bad-port\n  namespace: ${NS}\nspec:\n  ports:\n  - port: 70000\n`,
    absent: ['service', 'bad-port', '-n', NS],
    expect: [/spec\.ports\[0\]\.port: Invalid value: 70000/],
  },
  {
    title: 'an unsupported service type',
    verb: 'apply',
    yaml: `apiVersion: v1\nkind: Service\nmetadata:\n  name: bad-type\n  namespace: ${NS}\nspec:\n  type: Sideways\n  ports:\n  - port: 80\n`,
    absent: ['service', 'bad-type', '-n', NS],
    expect: [/spec\.type: Unsupported value: "Sideways"/],
  },
  {
    title: 'a job that restarts Always',
    verb: 'apply',
    yaml: `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: bad-job\n  namespace: ${NS}\nspec:\n  template:\n    spec:\n      restartPolicy: Always\n      containers:\n      - name: c\n        image: busybox:1.36\n`,
    absent: ['job', 'bad-job', '-n', NS],
    expect: [/spec\.template\.spec\.restartPolicy/],
  },
  {
    title: 'a cron job with a bad schedule',
    verb: 'apply',
    yaml: `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: bad-cron\n  namespace: ${NS}\nspec:\n  schedule: "not a cron"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox:1.36\n`,
    absent: ['cronjob', 'bad-cron', '-n', NS],
    expect: [/spec\.schedule/],
  },
  {
    title: 'an ingress path with an unsupported pathType',
    verb: 'apply',
    yaml: `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: bad-ing\n  namespace: ${NS}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Sometimes\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n`,
    absent: ['ingress', 'bad-ing', '-n', NS],
    expect: [/spec\.rules\[0\]\.http\.paths\[0\]\.pathType/],
  },
  {
    title: 'a claim without access modes',
    verb: 'apply',
    yaml: `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: bad-pvc\n  namespace: ${NS}\nspec:\n  resources:\n    requests:\n      storage: 1Gi\n`,
    absent: ['pvc', 'bad-pvc', '-n', NS],
    expect: [/spec\.accessModes: Required value/],
  },
  {
    title: 'a lease with a negative duration',
    verb: 'apply',
    yaml: `apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: bad-lease\n  namespace: ${NS}\nspec:\n  leaseDurationSeconds: -1\n`,
    absent: ['lease', 'bad-lease', '-n', NS],
    expect: [/spec\.leaseDurationSeconds/],
  },
  {
    title: 'a storage class without a provisioner',
    verb: 'apply',
    yaml: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: bad-sc\n',
    absent: ['storageclass', 'bad-sc'],
    expect: [/provisioner: Required value/],
  },
];
