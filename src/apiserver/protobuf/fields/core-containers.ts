// Field numbers of core/v1 containers and what hangs off them: ports, environment, resources,
// mounts, probes and lifecycle hooks, security contexts. Ephemeral containers inline a copy of
// the container fields with the same numbers, so both names share one entry.
import { kept, inline, type FieldTable, type MessageFields } from './spec.js';

const container: MessageFields = {
  name: kept(1), image: 2, command: 3, args: 4, workingDir: 5, ports: 6, envFrom: 19, env: 7, resources: 8, resizePolicy: 23,
  restartPolicy: kept(24), volumeMounts: 9, volumeDevices: 21, livenessProbe: 10, readinessProbe: 11, startupProbe: 22,
  lifecycle: 12, terminationMessagePath: 13, terminationMessagePolicy: 20, imagePullPolicy: 14, securityContext: 15,
  stdin: 16, stdinOnce: 17, tty: 18,
};

export const coreContainerFields: FieldTable = {
  'io.k8s.api.core.v1.ConfigMapEnvSource': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), optional: kept(2),
  },
  'io.k8s.api.core.v1.ConfigMapKeySelector': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), key: kept(2), optional: kept(3),
  },
  'io.k8s.api.core.v1.EnvFromSource': { prefix: 1, configMapRef: 2, secretRef: 3 },
  'io.k8s.api.core.v1.EnvVar': { name: kept(1), value: 2, valueFrom: 3 },
  'io.k8s.api.core.v1.EnvVarSource': { fieldRef: 1, resourceFieldRef: 2, configMapKeyRef: 3, secretKeyRef: 4 },
  'io.k8s.api.core.v1.ObjectFieldSelector': { apiVersion: 1, fieldPath: kept(2) },
  'io.k8s.api.core.v1.ResourceFieldSelector': { containerName: 1, resource: kept(2), divisor: 3 },
  'io.k8s.api.core.v1.SecretEnvSource': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), optional: kept(2),
  },
  'io.k8s.api.core.v1.SecretKeySelector': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), key: kept(2), optional: kept(3),
  },
  'io.k8s.api.core.v1.ExecAction': { command: 1 },
  'io.k8s.api.core.v1.GRPCAction': { port: kept(1), service: kept(2) },
  'io.k8s.api.core.v1.HTTPGetAction': { path: 1, port: 2, host: 3, scheme: 4, httpHeaders: 5 },
  'io.k8s.api.core.v1.HTTPHeader': { name: kept(1), value: kept(2) },
  'io.k8s.api.core.v1.Lifecycle': { postStart: 1, preStop: 2 },
  'io.k8s.api.core.v1.LifecycleHandler': { exec: 1, httpGet: 2, tcpSocket: 3, sleep: 4 },
  'io.k8s.api.core.v1.Probe': {
    handler: inline(1, 'io.k8s.api.core.v1.ProbeHandler'), initialDelaySeconds: 2, timeoutSeconds: 3, periodSeconds: 4,
    successThreshold: 5, failureThreshold: 6, terminationGracePeriodSeconds: kept(7),
  },
  'io.k8s.api.core.v1.SleepAction': { seconds: kept(1) },
  'io.k8s.api.core.v1.TCPSocketAction': { port: 1, host: 2 },
  'io.k8s.api.core.v1.AppArmorProfile': { type: kept(1), localhostProfile: kept(2) },
  'io.k8s.api.core.v1.Capabilities': { add: 1, drop: 2 },
  'io.k8s.api.core.v1.PodSecurityContext': {
    seLinuxOptions: 1, windowsOptions: 8, runAsUser: kept(2), runAsGroup: kept(6), runAsNonRoot: kept(3), supplementalGroups: 4,
    supplementalGroupsPolicy: kept(12), fsGroup: kept(5), sysctls: 7, fsGroupChangePolicy: kept(9), seccompProfile: 10,
    appArmorProfile: 11, seLinuxChangePolicy: kept(13),
  },
  'io.k8s.api.core.v1.SELinuxOptions': { user: 1, role: 2, type: 3, level: 4 },
  'io.k8s.api.core.v1.SeccompProfile': { type: kept(1), localhostProfile: kept(2) },
  'io.k8s.api.core.v1.SecurityContext': {
    capabilities: 1, privileged: kept(2), seLinuxOptions: 3, windowsOptions: 10, runAsUser: kept(4), runAsGroup: kept(8),
    runAsNonRoot: kept(5), readOnlyRootFilesystem: kept(6), allowPrivilegeEscalation: kept(7), procMount: kept(9),
    seccompProfile: 11, appArmorProfile: 12,
  },
  'io.k8s.api.core.v1.Sysctl': { name: kept(1), value: kept(2) },
  'io.k8s.api.core.v1.WindowsSecurityContextOptions': {
    gmsaCredentialSpecName: kept(1), gmsaCredentialSpec: kept(2), runAsUserName: kept(3), hostProcess: kept(4),
  },
  'io.k8s.api.core.v1.Container': container,
  'io.k8s.api.core.v1.ContainerPort': { name: 1, hostPort: 2, containerPort: kept(3), protocol: 4, hostIP: 5 },
  'io.k8s.api.core.v1.ContainerResizePolicy': { resourceName: kept(1), restartPolicy: kept(2) },
  'io.k8s.api.core.v1.EphemeralContainer': {
    ephemeralContainerCommon: inline(1, 'io.k8s.api.core.v1.EphemeralContainerCommon'), targetContainerName: 2,
  },
  'io.k8s.api.core.v1.ResourceClaim': { name: kept(1), request: 2 },
  'io.k8s.api.core.v1.ResourceRequirements': { limits: 1, requests: 2, claims: 3 },
  'io.k8s.api.core.v1.VolumeDevice': { name: kept(1), devicePath: kept(2) },
  'io.k8s.api.core.v1.VolumeMount': {
    name: kept(1), readOnly: 2, recursiveReadOnly: kept(7), mountPath: kept(3), subPath: 4, mountPropagation: kept(5),
    subPathExpr: 6,
  },
  'io.k8s.api.core.v1.EphemeralContainerCommon': container,
  'io.k8s.api.core.v1.ProbeHandler': { exec: 1, httpGet: 2, tcpSocket: 3, grpc: 4 },
};
