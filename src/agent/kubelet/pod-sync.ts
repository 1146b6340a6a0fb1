// Drives one pod through the runtime towards its spec, the way Kubernetes' kubelet does in
// SyncPod: make sure a ready sandbox exists (re-creating it if it died), run the init containers
// one at a time in order (sidecars are started and kept running), then start the app containers,
// restarting exited ones as restartPolicy says with crash-loop back-off; and, for pods being
// deleted, stop every container within the grace period. It only talks to the runtime and the
// event recorder; writing status and deleting the pod is the kubelet's job.
import type { Pod } from '../../api/core/v1/index.js';
import type { EventRecorder } from '../../client/index.js';
import type { Clock } from '../../lib/workqueue.js';
import type { ContainerKind, PodSandboxStatus, Runtime } from '../cri/index.js';
import { CONTAINER_HASH_ANNOTATION, containerConfigFor, containerHash, isSidecar, sandboxConfigFor, type PodContainer } from './pod-config.js';
import { generatePodStatus, type PodStatus, type Waiting } from './pod-status.js';
import type { Prober } from './prober.js';
import { goDuration, type RestartBackoff } from './restart-backoff.js';
import { readRuntimePod, type ContainerInstance, type RuntimePod } from './runtime-pod.js';
import { ensureImage } from './images.js';

/** What the kubelet remembers about a pod between syncs. */
export interface PodRecord {
  uid: string;
  /** The latest object from the API; undefined once the pod is gone from the API. */
  pod: Pod | undefined;
  /** When this kubelet first saw the pod. */
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
  /** The status this kubelet last wrote for a pod. */
  previousStatus(uid: string): PodStatus | undefined;
}

export interface SyncResult {
  status: PodStatus;
  /** Sync again after this long (a back-off ends, a deadline passes). */
  requeueMs?: number;
}

const podRef = (pod: Pod): string => `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;

export class PodSyncer {
  constructor(private readonly d: SyncDeps) {}

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

    let rp = await readRuntimePod(rt, rec.uid);
    // A few passes let a sidecar that started at once unblock the next init container.
    for (let pass = 0; pass < 4; pass++) {
      let sandbox = rp.sandbox;
      if (!sandbox || sandbox.state !== 'SANDBOX_READY') {
        if (sandbox) {
          this.d.recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
          for (const sb of rp.sandboxes) await rt.stopPodSandbox(sb.id);
        }
        await rt.runPodSandbox({ config: sandboxConfigFor(pod, sandbox ? sandbox.metadata.attempt + 1 : 0) });
        rp = await readRuntimePod(rt, rec.uid);
        sandbox = rp.sandbox;
        if (!sandbox) throw new Error(`sandbox for pod ${podRef(pod)} vanished after creation`);
      }
      const progressed = await this.startContainers(rec, pod, rp, sandbox, after);
      rp = await readRuntimePod(rt, rec.uid);
      if (!progressed) break;
    }
    return { status: this.status(rec, pod, rp), ...(requeueMs !== undefined ? { requeueMs: Math.max(0, requeueMs) } : {}) };
  }

  /**
   * One pass over the containers: the next init container (or the app containers once every init
   * container succeeded). Returns whether an init container or sidecar was started, in which case
   * another pass may be able to go further.
   */
  private async startContainers(rec: PodRecord, pod: Pod, rp: RuntimePod, sandbox: PodSandboxStatus, after: (ms: number) => void): Promise<boolean> {
    const spec = pod.spec ?? { containers: [] };
    const policy = spec.restartPolicy ?? 'Always';
    for (const c of spec.initContainers ?? []) {
      const instances = rp.containers.get(c.name) ?? [];
      // Init containers run again in every new sandbox.
      const cur = instances.find((i) => i.podSandboxId === sandbox.id);
      const kind: ContainerKind = isSidecar(c) ? 'sidecar' : 'init';
      if (!cur) return this.start(rec, pod, c, { kind, instances, sandbox, after });
      if (cur.state === 'CONTAINER_CREATED') {
        await this.d.runtime.startContainer(cur.id);
        return true;
      }
      if (cur.state === 'CONTAINER_RUNNING') {
        if (kind === 'sidecar') continue;
        return false;
      }
      if (kind === 'init' && cur.exitCode === 0) continue;
      if (kind === 'init' && policy === 'Never') return false;
      return this.restart(rec, pod, c, { kind, instances, sandbox, after });
    }
    for (const c of spec.initContainers ?? []) {
      if (!isSidecar(c)) continue;
      const instances = rp.containers.get(c.name) ?? [];
      const cur = instances[0];
      if (cur && cur.state === 'CONTAINER_EXITED') await this.restart(rec, pod, c, { kind: 'sidecar', instances, sandbox, after });
    }
    for (const c of spec.containers) {
      const instances = rp.containers.get(c.name) ?? [];
      const cur = instances[0];
      if (!cur) {
        await this.start(rec, pod, c, { kind: 'app', instances, sandbox, after });
      } else if (cur.state === 'CONTAINER_CREATED' && cur.podSandboxId === sandbox.id) {
        await this.d.runtime.startContainer(cur.id);
      } else if (cur.state === 'CONTAINER_RUNNING' && cur.podSandboxId === sandbox.id) {
        // `kubectl set image` on a pod: replace the container, counting it as a restart.
        const hash = cur.annotations[CONTAINER_HASH_ANNOTATION];
        if (hash && hash !== containerHash(c)) {
          this.d.recorder.event(pod, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
          await this.d.runtime.stopContainer(cur.id, pod.spec?.terminationGracePeriodSeconds ?? 30);
          await this.start(rec, pod, c, { kind: 'app', instances, sandbox, after });
        }
      } else {
        const failed = cur.state !== 'CONTAINER_EXITED' || cur.exitCode !== 0;
        if (policy === 'Always' || (policy === 'OnFailure' && failed)) await this.restart(rec, pod, c, { kind: 'app', instances, sandbox, after });
      }
    }
    return false;
  }

  /** Restarts an exited container unless it is still in crash-loop back-off. */
  private async restart(rec: PodRecord, pod: Pod, c: PodContainer, o: StartOptions): Promise<boolean> {
    const last = o.instances[0];
    if (!last) return this.start(rec, pod, c, o);
    const key = `${rec.uid}/${c.name}`;
    const finishedAt = last.finishedAt || this.d.clock.now();
    const left = this.d.backoff.remaining(key, finishedAt);
    if (left > 0) {
      rec.waiting.set(c.name, {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(this.d.backoff.current(key))} restarting failed container=${c.name} pod=${podRef(pod)}`,
      });
      this.d.recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podRef(pod)}`);
      o.after(left);
      return false;
    }
    this.d.backoff.next(key, finishedAt);
    return this.start(rec, pod, c, o);
  }

  /** Pulls the image if needed, then creates and starts a new instance of the container. */
  private async start(rec: PodRecord, pod: Pod, c: PodContainer, o: StartOptions): Promise<boolean> {
    const rt = this.d.runtime;
    const image = await ensureImage({ runtime: rt, recorder: this.d.recorder, backoff: this.d.backoff, clock: this.d.clock }, { pod, container: c, uid: rec.uid });
    if (image.waiting) {
      rec.waiting.set(c.name, image.waiting);
      o.after(image.retryMs);
      return false;
    }
    const attempt = nextAttempt(o.instances[0], this.d.previousStatus(rec.uid) ?? pod.status, c.name);
    const sandboxConfig = sandboxConfigFor(pod, o.sandbox.metadata.attempt);
    let id: string;
    try {
      id = await rt.createContainer({ podSandboxId: o.sandbox.id, config: containerConfigFor(pod, c, { kind: o.kind, attempt }), sandboxConfig });
    } catch (err) {
      return this.failedStart(rec, pod, c, { reason: 'CreateContainerError', err, after: o.after });
    }
    this.d.recorder.event(pod, 'Normal', 'Created', `Created container: ${c.name}`);
    try {
      await rt.startContainer(id);
    } catch (err) {
      return this.failedStart(rec, pod, c, { reason: 'RunContainerError', err, after: o.after });
    }
    this.d.recorder.event(pod, 'Normal', 'Started', `Started container ${c.name}`);
    // Keep the newest dead instance (it is the lastState users see); remove older ones.
    for (const old of o.instances.slice(1)) if (old.state === 'CONTAINER_EXITED') await rt.removeContainer(old.id);
    return true;
  }

  private failedStart(rec: PodRecord, pod: Pod, c: PodContainer, o: { reason: string; err: unknown; after: (ms: number) => void }): boolean {
    const message = o.err instanceof Error ? o.err.message : String(o.err);
    rec.waiting.set(c.name, { reason: o.reason, message });
    this.d.recorder.event(pod, 'Warning', 'Failed', `Error: ${message}`);
    const key = `${rec.uid}/${c.name}/start`;
    this.d.backoff.next(key, this.d.clock.now());
    o.after(this.d.backoff.current(key));
    return false;
  }

  /** Stops every container of a pod being deleted within its grace period; returns the final status. */
  async terminatePod(rec: PodRecord, pod: Pod): Promise<PodStatus> {
    const rt = this.d.runtime;
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    let rp = await readRuntimePod(rt, rec.uid);
    await this.stopAll(pod, rp, grace);
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
    await Promise.all(
      running.map((i) => {
        this.d.recorder.event(pod, 'Normal', 'Killing', `Stopping container ${i.metadata.name}`);
        return rt.stopContainer(i.id, graceSeconds);
      }),
    );
    for (const sb of rp.sandboxes) if (sb.state === 'SANDBOX_READY') await rt.stopPodSandbox(sb.id);
  }

  /** Tears down the sandboxes of a finished pod (releasing its IP) but keeps its containers for their status. */
  async stopSandboxes(uid: string): Promise<void> {
    const rp = await readRuntimePod(this.d.runtime, uid);
    for (const sb of rp.sandboxes) if (sb.state === 'SANDBOX_READY') await this.d.runtime.stopPodSandbox(sb.id);
  }

  /** Removes everything the runtime holds for a pod. */
  async removePod(uid: string): Promise<void> {
    const rp = await readRuntimePod(this.d.runtime, uid);
    for (const sb of rp.sandboxes) await this.d.runtime.removePodSandbox(sb.id);
    for (const i of [...rp.containers.values()].flat()) await this.d.runtime.removeContainer(i.id);
  }

  /** Re-reads the runtime and builds the status of a pod without acting on it. */
  async currentStatus(rec: PodRecord, pod: Pod): Promise<PodStatus> {
    return this.status(rec, pod, await readRuntimePod(this.d.runtime, rec.uid));
  }
}

interface StartOptions {
  kind: ContainerKind;
  instances: ContainerInstance[];
  sandbox: PodSandboxStatus;
  after: (ms: number) => void;
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
