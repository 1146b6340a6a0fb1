// The pod annotations the fake runtime for hollow nodes obeys, so scale and controller tests can
// make containers crash, complete, stay unready or stop slowly without real processes. The fake
// reads them from the sandbox config (which carries the pod's annotations, as a real kubelet
// passes them); documented for users in docs/design/agent.md.

/** Exit code app containers exit with (after fake-run-seconds); absent: they run until stopped. */
export const FAKE_EXIT_CODE = 'tugboat.dev/fake-exit-code';
/** Seconds a container runs before exiting with its fake exit code; default 0 (at once). */
export const FAKE_RUN_SECONDS = 'tugboat.dev/fake-run-seconds';
/** Exit code of init containers; default 0, so init containers complete after fake-run-seconds. */
export const FAKE_INIT_EXIT_CODE = 'tugboat.dev/fake-init-exit-code';
/** "false": the container never becomes ready (read by the kubelet's fake prober). */
export const FAKE_READY = 'tugboat.dev/fake-ready';
/** Seconds a container takes to stop once asked; killed (exit 137) if the grace period is shorter. */
export const FAKE_STOP_SECONDS = 'tugboat.dev/fake-stop-seconds';

/**
 * What kind of container the kubelet is creating (`init`, `sidecar` or `app`), set by the kubelet
 * as a container annotation; real runtimes ignore it, the fake needs it to let init containers
 * complete while app containers keep running.
 */
export const CONTAINER_KIND = 'tugboat.dev/container-kind';
export type ContainerKind = 'init' | 'sidecar' | 'app';

function intValue(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d+$/.test(v.trim())) return undefined;
  return Number.parseInt(v, 10);
}

function secondsValue(v: string | undefined): number {
  const n = v === undefined ? Number.NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** A per-container override `<annotation>.<container>` wins over the pod-wide annotation. */
const lookup = (annotations: Record<string, string>, key: string, container: string): string | undefined =>
  annotations[`${key}.${container}`] ?? annotations[key];

export interface FakeBehaviour {
  /** Exit code once the run time is over; undefined: run until stopped. */
  exitCode: number | undefined;
  runMs: number;
  stopMs: number;
}

export function fakeBehaviour(podAnnotations: Record<string, string>, container: string, kind: ContainerKind): FakeBehaviour {
  const runMs = secondsValue(lookup(podAnnotations, FAKE_RUN_SECONDS, container)) * 1000;
  const stopMs = secondsValue(lookup(podAnnotations, FAKE_STOP_SECONDS, container)) * 1000;
  const exitCode =
    kind === 'init' ? (intValue(lookup(podAnnotations, FAKE_INIT_EXIT_CODE, container)) ?? 0) : intValue(lookup(podAnnotations, FAKE_EXIT_CODE, container));
  return { exitCode, runMs, stopMs };
}

/** Whether the pod asks for the container to stay unready. */
export const fakeNeverReady = (podAnnotations: Record<string, string> | undefined, container: string): boolean =>
  lookup(podAnnotations ?? {}, FAKE_READY, container) === 'false';
