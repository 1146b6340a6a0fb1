// Field numbers of the workload groups: apps/v1 (Deployment, ReplicaSet, StatefulSet, DaemonSet,
// ControllerRevision), batch/v1 (Job, CronJob) and autoscaling/v1 Scale.
import { kept, type FieldTable } from './spec.js';

export const workloadFields: FieldTable = {
  'io.k8s.api.apps.v1.ControllerRevision': { metadata: 1, data: 2, revision: kept(3) },
  'io.k8s.api.apps.v1.DaemonSet': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.apps.v1.DaemonSetCondition': { type: kept(1), status: kept(2), lastTransitionTime: 3, reason: 4, message: 5 },
  'io.k8s.api.apps.v1.DaemonSetSpec': {
    selector: 1, template: 2, updateStrategy: 3, minReadySeconds: 4, revisionHistoryLimit: kept(6),
  },
  'io.k8s.api.apps.v1.DaemonSetStatus': {
    currentNumberScheduled: kept(1), numberMisscheduled: kept(2), desiredNumberScheduled: kept(3), numberReady: kept(4),
    observedGeneration: 5, updatedNumberScheduled: 6, numberAvailable: 7, numberUnavailable: 8, collisionCount: kept(9),
    conditions: 10,
  },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: 1, rollingUpdate: 2 },
  'io.k8s.api.apps.v1.RollingUpdateDaemonSet': { maxUnavailable: 1, maxSurge: 2 },
  'io.k8s.api.apps.v1.Deployment': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.apps.v1.DeploymentCondition': {
    type: kept(1), status: kept(2), lastUpdateTime: 6, lastTransitionTime: 7, reason: 4, message: 5,
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    replicas: kept(1), selector: 2, template: 3, strategy: 4, minReadySeconds: 5, revisionHistoryLimit: kept(6), paused: 7,
    progressDeadlineSeconds: kept(9),
  },
  'io.k8s.api.apps.v1.DeploymentStatus': {
    observedGeneration: 1, replicas: 2, updatedReplicas: 3, readyReplicas: 7, availableReplicas: 4, unavailableReplicas: 5,
    conditions: 6, collisionCount: kept(8),
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: 1, rollingUpdate: 2 },
  'io.k8s.api.apps.v1.RollingUpdateDeployment': { maxUnavailable: 1, maxSurge: 2 },
  'io.k8s.api.apps.v1.ReplicaSet': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.apps.v1.ReplicaSetCondition': { type: kept(1), status: kept(2), lastTransitionTime: 3, reason: 4, message: 5 },
  'io.k8s.api.apps.v1.ReplicaSetSpec': { replicas: kept(1), minReadySeconds: 4, selector: 2, template: 3 },
  'io.k8s.api.apps.v1.ReplicaSetStatus': {
    replicas: kept(1), fullyLabeledReplicas: 2, readyReplicas: 4, availableReplicas: 5, observedGeneration: 3, conditions: 6,
  },
  'io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy': { partition: kept(1), maxUnavailable: 2 },
  'io.k8s.api.apps.v1.StatefulSet': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.apps.v1.StatefulSetCondition': { type: kept(1), status: kept(2), lastTransitionTime: 3, reason: 4, message: 5 },
  'io.k8s.api.apps.v1.StatefulSetOrdinals': { start: kept(1) },
  'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': { whenDeleted: 1, whenScaled: 2 },
  'io.k8s.api.apps.v1.StatefulSetSpec': {
    replicas: kept(1), selector: 2, template: 3, volumeClaimTemplates: 4, serviceName: kept(5), podManagementPolicy: 6,
    updateStrategy: 7, revisionHistoryLimit: kept(8), minReadySeconds: 9, persistentVolumeClaimRetentionPolicy: 10,
    ordinals: 11,
  },
  'io.k8s.api.apps.v1.StatefulSetStatus': {
    observedGeneration: 1, replicas: kept(2), readyReplicas: 3, currentReplicas: 4, updatedReplicas: 5, currentRevision: 6,
    updateRevision: 7, collisionCount: kept(9), conditions: 10, availableReplicas: kept(11),
  },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: 1, rollingUpdate: 2 },
  'io.k8s.api.autoscaling.v1.Scale': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.autoscaling.v1.ScaleSpec': { replicas: 1 },
  'io.k8s.api.autoscaling.v1.ScaleStatus': { replicas: kept(1), selector: 2 },
  'io.k8s.api.batch.v1.CronJob': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.batch.v1.CronJobSpec': {
    schedule: kept(1), timeZone: kept(8), startingDeadlineSeconds: kept(2), concurrencyPolicy: 3, suspend: kept(4),
    jobTemplate: 5, successfulJobsHistoryLimit: kept(6), failedJobsHistoryLimit: kept(7),
  },
  'io.k8s.api.batch.v1.CronJobStatus': { active: 1, lastScheduleTime: 4, lastSuccessfulTime: 5 },
  'io.k8s.api.batch.v1.JobTemplateSpec': { metadata: 1, spec: 2 },
  'io.k8s.api.batch.v1.PodFailurePolicy': { rules: 1 },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': { containerName: kept(1), operator: kept(2), values: 3 },
  'io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern': { type: kept(1), status: kept(2) },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': { action: kept(1), onExitCodes: 2, onPodConditions: 3 },
  'io.k8s.api.batch.v1.SuccessPolicy': { rules: 1 },
  'io.k8s.api.batch.v1.SuccessPolicyRule': { succeededIndexes: kept(1), succeededCount: kept(2) },
  'io.k8s.api.batch.v1.JobSpec': {
    parallelism: kept(1), completions: kept(2), activeDeadlineSeconds: kept(3), podFailurePolicy: 11, successPolicy: 16,
    backoffLimit: kept(7), backoffLimitPerIndex: kept(12), maxFailedIndexes: kept(13), selector: 4, manualSelector: kept(5),
    template: 6, ttlSecondsAfterFinished: kept(8), completionMode: kept(9), suspend: kept(10), podReplacementPolicy: kept(14),
    managedBy: kept(15),
  },
  'io.k8s.api.batch.v1.Job': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.batch.v1.JobCondition': {
    type: kept(1), status: kept(2), lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6,
  },
  'io.k8s.api.batch.v1.JobStatus': {
    conditions: 1, startTime: 2, completionTime: 3, active: 4, succeeded: 5, failed: 6, terminating: kept(11),
    completedIndexes: 7, failedIndexes: kept(10), uncountedTerminatedPods: 8, ready: kept(9),
  },
  'io.k8s.api.batch.v1.UncountedTerminatedPods': { succeeded: 1, failed: 2 },
};
