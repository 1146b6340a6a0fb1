// Drives one pod through the runtime towards its spec, the way Kubernetes' kubelet does in
// SyncPod: prepare what the pod needs on the node (volumes, service-account token, log
// directory), make sure a ready sandbox exists (re-creating it if it died) and write its hosts
// file, run the init containers one at a time in order (sidecars are started and kept running),
// then start the app containers, restarting exited ones as restartPolicy says with crash-loop
// back-off, and killing (then restarting) those a liveness or startup probe failed; and, for pods
// being deleted, stop every container within the grace period after its preStop hook. It only
// talks to the runtime, the node's files and the event recorder; writing status and deleting the
// pod is the kubelet's job.
import type { Pod } from '../../api/core/v1/index.js';
import type { EventRecorder } from '../../client/index.js';
import type { Clock } from '../../lib/workqueue.js';
import type { ContainerKind, PodSandboxConfig, PodSandboxStatus, Runtime } from '../cri/index.js';
import type { PodObjects } from './api-objects.js';
import { runContainer, startContainer, type StartDeps } from './container-start.js';
import { killContainer } from './container-stop.js';
import { CONTAINER_HASH_ANNOTATION, containerHash, isSidecar, sandboxConfigFor, type PodContainer } from './pod-config.js';
import type { PodRun, PodSetup } from './pod-setup.js';
import { generatePodStatus, type PodStatus, type Waiting } from './pod-status.js';
import type { Prober, ProbeTarget } from './prober.js';
import { goDuration, type RestartBackoff } from './restart-backoff.js';
import { readRuntimePod, type ContainerInstance, type RuntimePod } from './runtime-pod.js';

/** What the kubelet remembers about a pod between syncs. */
export interface PodRecord {
  uid: string;
  /** The latest object from the API; undefined once the pod is gone from the API. */
  pod: Pod | undefined;
  /** When the pod started on a node (its status.startTime, or when this kubelet first saw it). */
  startTime: number;
  /** Containers the last sync left waiting, and why. */
  waiting: Map<string, Waiting>;
  /** Set once the pod reached Succeeded or Failed here (with the kubelet's reason, if it failed it); nothing restarts after. */
  terminal: { failure?: { reason: string; message: string } } | undefined;
  /** The kubelet finished a graceful deletion and deleted the pod; only the informer's DELETE is awaited. */
  deleted?: boolean;
}

export interface SyncDeps {
  runtime: Runtime;
  runtimeName: string;
  recorder: EventRecorder;
  prober: Prober;
  backoff: RestartBackoff;
  clock: Clock;
  hostIP: string;
  setup: PodSetup;
  objects: PodObjects;
  allocatable: Record<string, string>;
  /** The node's memory in bytes (OOM score of burstable containers). */
  memoryCapacity: number;
  /** Whether lifecycle hooks run (real nodes). */
  hooks: boolean;
  /** The status this kubelet last wrote for a pod. */
  previousStatus(uid: string): PodStatus | undefined;
}

export interface SyncResult {
  status: PodStatus;
  /** Sync again after this long (a back-off ends, a deadline passes). */
  requeueMs?: number;
}

/** Volume failures are re-reported at most this often (syncs can run every second). */
const MOUNT_EVENT_INTERVAL_MS = 60_000;

const podRef = (pod: Pod): string => `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;

interface PassContext {
  rec: PodRecord;
  pod: Pod;
  run: PodRun;
  sandbox: PodSandboxStatus;
  sandboxConfig: PodSandboxConfig;
  after: (ms: number) => void;
}

export class PodSyncer {
  private readonly pullErrors = new Map<string, string>();
  private readonly mountEvents = new Map<string, number>();

  constructor(private readonly d: SyncDeps) {}

  private get startDeps(): StartDeps {
    const d = this.d;
    return { runtime: d.runtime, recorder: d.recorder, backoff: d.backoff, clock: d.clock, objects: d.objects, allocatable: d.allocatable, memoryCapacity: d.memoryCapacity, hooks: d.hooks, pullErrors: this.pullErrors };
  }

  private status(rec: PodRecord, pod: Pod, rp: RuntimePod, extra: { podIsTerminal?: boolean; failure?: { reason: string; message: string } } = {}): PodStatus {
    const previous = this.d.previousStatus(rec.uid);
    const failure = extra.failure ?? rec.terminal?.failure;
    return generatePodStatus({
      pod,
      runtime: rp,
      waiting: rec.waiting,
      prober: this.d.prober,
      hostIP: this.d.hostIP,
      now: this.d.clock.now(),
      runtimeName: this.d.runtimeName,
      startTime: rec.startTime,
      ...(previous ? { previous } : {}),
      podIsTerminal: extra.podIsTerminal ?? rec.terminal !== undefined,
      ...(failure ? { failure } : {}),
    });
  }

  /** Runs a pod that should be running; returns the status to report. */
  async syncPod(rec: PodRecord, pod: Pod): Promise<SyncResult> {
    const rt = this.d.runtime;
    rec.waiting.clear();
    const deadline = pod.spec?.activeDeadlineSeconds;
    if (deadline !== undefined) {
      const left = rec.startTime + deadline * 1000 - this.d.clock.now();
      if (left <= 0) return { status: await this.failPod(rec, pod) };
    }
    let requeueMs: number | undefined;
    const after = (ms: number): void => {
      requeueMs = requeueMs === undefined ? ms : Math.min(requeueMs, ms);
    };
    if (deadline !== undefined) after(rec.startTime + deadline * 1000 - this.d.clock.now());
    const done = (rp: RuntimePod): SyncResult => ({ status: this.status(rec, pod, rp), ...(requeueMs !== undefined ? { requeueMs: Math.max(0, requeueMs) } : {}) });

    const run = await this.d.setup.prepare(pod);
    this.reportMountFailures(pod, run);
    let rp = await readRuntimePod(rt, rec.uid);
    if (run.blocking.length > 0) {
      const key = `${rec.uid}/volumes`;
      this.d.backoff.next(key, this.d.clock.now());
      after(this.d.backoff.current(key));
      return done(rp);
    }
    this.d.backoff.forget(`${rec.uid}/volumes`);

    // A few passes let a sidecar that started at once unblock the next init container.
    for (let pass = 0; pass < 4; pass++) {
      let sandbox = rp.sandbox;
      if (!sandbox || sandbox.state !== 'SANDBOX_READY') {
        if (sandbox) {
          this.d.recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
          for (const sb of rp.sandboxes) await rt.stopPodSandbox(sb.id);
        }
        await rt.runPodSandbox({ config: sandboxConfigFor(pod, sandbox ? sandbox.metadata.attempt + 1 : 0, run.extras) });
        rp = await readRuntimePod(rt, rec.uid);
        sandbox = rp.sandbox;
        if (!sandbox) throw new Error(`sandbox for pod ${podRef(pod)} vanished after creation`);
      }
      await this.d.setup.afterSandbox(run, sandbox);
      const sandboxConfig = sandboxConfigFor(pod, sandbox.metadata.attempt, run.extras);
      const progressed = await this.startContainers({ rec, pod, run, sandbox, sandboxConfig, after }, rp);
      rp = await readRuntimePod(rt, rec.uid);
      if (!progressed) break;
    }
    this.d.prober.sync?.(run.pod, this.probeTargets(run, rp));
    return done(rp);
  }

  private reportMountFailures(pod: Pod, run: PodRun): void {
    const now = this.d.clock.now();
    for (const f of [...run.blocking, ...run.stale]) {
      const msg = `MountVolume.SetUp failed for volume "${f.volume}" : ${f.message}`;
      const key = `${pod.metadata?.uid ?? ''}/${msg}`;
      const last = this.mountEvents.get(key);
      if (last !== undefined && now - last < MOUNT_EVENT_INTERVAL_MS) continue;
      this.mountEvents.set(key, now);
      this.d.recorder.event(pod, 'Warning', 'FailedMount', msg);
    }
  }

  private probeTargets(run: PodRun, rp: RuntimePod): ProbeTarget[] {
    const podIP = run.addresses.podIPs[0] ?? '';
    return [...rp.containers.values()]
      .map((list) => list[0])
      .filter((i): i is ContainerInstance => i !== undefined && i.state === 'CONTAINER_RUNNING' && i.podSandboxId === rp.sandbox?.id)
      .map((i) => ({ pod: run.pod, containerName: i.metadata.name, containerId: i.id, podIP, startedAt: i.startedAt }));
  }

  /**
   * One pass over the containers: the next init container (or the app containers once every init
   * container succeeded). Returns whether an init container or sidecar was started, or a container
   * killed, in which case another pass may be able to go further.
   */
  private async startContainers(p: PassContext, rp: RuntimePod): Promise<boolean> {
    const spec = p.pod.spec ?? { containers: [] };
    const policy = spec.restartPolicy ?? 'Always';
    for (const c of spec.initContainers ?? []) {
      const instances = rp.containers.get(c.name) ?? [];
      // Init containers run again in every new sandbox.
      const cur = instances.find((i) => i.podSandboxId === p.sandbox.id);
      const kind: ContainerKind = isSidecar(c) ? 'sidecar' : 'init';
      if (!cur) return this.start(p, c, kind, instances);
      if (cur.state === 'CONTAINER_CREATED') {
        await this.d.runtime.startContainer(cur.id);
        return true;
      }
      if (cur.state === 'CONTAINER_RUNNING') {
        if (kind === 'sidecar') {
          if (await this.killIfUnhealthy(p, c, cur)) return true;
          continue;
        }
        return false;
      }
      if (kind === 'init' && cur.exitCode === 0) continue;
      if (kind === 'init' && policy === 'Never') return false;
      return this.restart(p, c, kind, instances);
    }
    let killed = false;
    for (const c of spec.initContainers ?? []) {
      if (!isSidecar(c)) continue;
      const instances = rp.containers.get(c.name) ?? [];
      const cur = instances[0];
      if (cur && cur.state === 'CONTAINER_EXITED') await this.restart(p, c, 'sidecar', instances);
    }
    for (const c of spec.containers) {
      const instances = rp.containers.get(c.name) ?? [];
      const cur = instances[0];
      if (!cur) {
        await this.start(p, c, 'app', instances);
      } else if (cur.state === 'CONTAINER_CREATED' && cur.podSandboxId === p.sandbox.id) {
        await this.d.runtime.startContainer(cur.id);
      } else if (cur.state === 'CONTAINER_RUNNING' && cur.podSandboxId === p.sandbox.id) {
        // `kubectl set image` on a pod: replace the container, counting it as a restart.
        const hash = cur.annotations[CONTAINER_HASH_ANNOTATION];
        if (hash && hash !== containerHash(c)) {
          await this.kill(p, c, cur, { message: `Container ${c.name} definition changed, will be restarted` });
          await this.start(p, c, 'app', instances);
        } else if (await this.killIfUnhealthy(p, c, cur)) killed = true;
      } else {
        const failed = cur.state !== 'CONTAINER_EXITED' || cur.exitCode !== 0;
        if (policy === 'Always' || (policy === 'OnFailure' && failed)) await this.restart(p, c, 'app', instances);
      }
    }
    return killed;
  }

  private async kill(p: PassContext, c: PodContainer, inst: ContainerInstance, o: { message: string; graceSeconds?: number }): Promise<void> {
    await killContainer(
      { runtime: this.d.runtime, recorder: this.d.recorder, clock: this.d.clock, hooks: this.d.hooks },
      {
        pod: p.pod,
        spec: runContainer(p.run, c),
        instance: inst,
        graceSeconds: o.graceSeconds ?? p.pod.spec?.terminationGracePeriodSeconds ?? 30,
        message: o.message,
        podIP: p.run.addresses.podIPs[0] ?? '',
      },
    );
  }

  /** Kills a running container whose liveness or startup probe failed; the next pass restarts it. */
  private async killIfUnhealthy(p: PassContext, c: PodContainer, cur: ContainerInstance): Promise<boolean> {
    const req = this.d.prober.mustRestart?.({ pod: p.run.pod, containerName: c.name, containerId: cur.id });
    if (!req) return false;
    await this.kill(p, c, cur, {
      message: `Container ${c.name} failed ${req.probe} probe, will be restarted`,
      ...(req.gracePeriodSeconds !== undefined ? { graceSeconds: req.gracePeriodSeconds } : {}),
    });
    return true;
  }

  /** Restarts an exited container unless it is still in crash-loop back-off. */
  private async restart(p: PassContext, c: PodContainer, kind: ContainerKind, instances: ContainerInstance[]): Promise<boolean> {
    const last = instances[0];
    if (!last) return this.start(p, c, kind, instances);
    const key = `${p.rec.uid}/${c.name}`;
    const finishedAt = last.finishedAt || this.d.clock.now();
    const left = this.d.backoff.remaining(key, finishedAt);
    if (left > 0) {
      p.rec.waiting.set(c.name, {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(this.d.backoff.current(key))} restarting failed container=${c.name} pod=${podRef(p.pod)}`,
      });
      this.d.recorder.event(p.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podRef(p.pod)}`);
      p.after(left);
      return false;
    }
    this.d.backoff.next(key, finishedAt);
    return this.start(p, c, kind, instances);
  }

  /** Creates and starts a new instance of the container; returns whether it started. */
  private async start(p: PassContext, c: PodContainer, kind: ContainerKind, instances: ContainerInstance[]): Promise<boolean> {
    const attempt = nextAttempt(instances[0], this.d.previousStatus(p.rec.uid) ?? p.pod.status, c.name);
    const r = await startContainer(this.startDeps, { uid: p.rec.uid, pod: p.pod, run: p.run, container: c, kind, attempt, sandbox: p.sandbox, sandboxConfig: p.sandboxConfig });
    if (!r.started) {
      p.rec.waiting.set(c.name, r.waiting);
      if (r.retryMs !== undefined) p.after(r.retryMs);
      return false;
    }
    // Keep the newest dead instance (it is the lastState users see); remove older ones.
    for (const old of instances.slice(1)) if (old.state === 'CONTAINER_EXITED') await this.d.runtime.removeContainer(old.id);
    return true;
  }

  /** Stops every container of a pod being deleted within its grace period; returns the final status. */
  async terminatePod(rec: PodRecord, pod: Pod): Promise<PodStatus> {
    const rt = this.d.runtime;
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    let rp = await readRuntimePod(rt, rec.uid);
    await this.stopAll(pod, rp, grace);
    this.d.prober.forget?.(rec.uid);
    rp = await readRuntimePod(rt, rec.uid);
    rec.waiting.clear();
    return this.status(rec, pod, rp, { podIsTerminal: true });
  }

  /** Fails a pod that outlived spec.activeDeadlineSeconds. */
  private async failPod(rec: PodRecord, pod: Pod): Promise<PodStatus> {
    const rt = this.d.runtime;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.d.recorder.event(pod, 'Normal', 'DeadlineExceeded', message);
    await this.stopAll(pod, await readRuntimePod(rt, rec.uid), pod.spec?.terminationGracePeriodSeconds ?? 30);
    rec.terminal = { failure: { reason: 'DeadlineExceeded', message } };
    return this.status(rec, pod, await readRuntimePod(rt, rec.uid));
  }

  private async stopAll(pod: Pod, rp: RuntimePod, graceSeconds: number): Promise<void> {
    const rt = this.d.runtime;
    const running = [...rp.containers.values()].flat().filter((i) => i.state === 'CONTAINER_RUNNING' || i.state === 'CONTAINER_CREATED');
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const podIP = pod.spec?.hostNetwork ? this.d.hostIP : (rp.sandbox?.network?.ip ?? '');
    await Promise.all(
      running.map((i) =>
        killContainer(
          { runtime: rt, recorder: this.d.recorder, clock: this.d.clock, hooks: this.d.hooks },
          { pod, spec: specs.find((c) => c.name === i.metadata.name), instance: i, graceSeconds, message: `Stopping container ${i.metadata.name}`, podIP },
        ),
      ),
    );
    for (const sb of rp.sandboxes) if (sb.state === 'SANDBOX_READY') await rt.stopPodSandbox(sb.id);
  }

  /** Tears down the sandboxes of a finished pod (releasing its IP) but keeps its containers for their status. */
  async stopSandboxes(uid: string): Promise<void> {
    this.d.prober.forget?.(uid);
    const rp = await readRuntimePod(this.d.runtime, uid);
    for (const sb of rp.sandboxes) if (sb.state === 'SANDBOX_READY') await this.d.runtime.stopPodSandbox(sb.id);
  }

  /** Removes everything the runtime and the node hold for a pod. */
  async removePod(uid: string): Promise<void> {
    const rp = await readRuntimePod(this.d.runtime, uid);
    for (const sb of rp.sandboxes) await this.d.runtime.removePodSandbox(sb.id);
    for (const i of [...rp.containers.values()].flat()) await this.d.runtime.removeContainer(i.id);
    await this.d.setup.tearDown(uid);
    for (const k of this.pullErrors.keys()) if (k.startsWith(`${uid}/`)) this.pullErrors.delete(k);
    for (const k of this.mountEvents.keys()) if (k.startsWith(`${uid}/`)) this.mountEvents.delete(k);
  }

  /** Re-reads the runtime and builds the status of a pod without acting on it. */
  async currentStatus(rec: PodRecord, pod: Pod): Promise<PodStatus> {
    return this.status(rec, pod, await readRuntimePod(this.d.runtime, rec.uid));
  }
}

/**
 * The attempt number (restartCount) of the next instance: one more than the newest instance the
 * runtime has, or than the last reported restartCount when the runtime forgot the container
 * (a restarted hollow node re-running its pods counts that as a restart, as a rebooted node does).
 */
function nextAttempt(newest: ContainerInstance | undefined, reported: PodStatus | undefined, name: string): number {
  if (newest) return newest.metadata.attempt + 1;
  const prev = [...(reported?.containerStatuses ?? []), ...(reported?.initContainerStatuses ?? [])].find((s) => s.name === name);
  return prev?.containerID ? prev.restartCount + 1 : 0;
}
