// The outcome of a plugin at one extension point, as in the Kubernetes scheduler framework.
// Success is `undefined` (the common case allocates nothing); a failure says whether moving other
// pods away could help (Unschedulable, which preemption may fix) or not
// (UnschedulableAndUnresolvable), and carries the reasons the FailedScheduling message counts.
// Skip from a PreFilter or PreScore means "nothing for me to check for this pod".
export type Code = 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error' | 'Skip';

export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
}

export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const errorStatus = (reason: string): Status => ({ code: 'Error', reasons: [reason] });
export const SKIP: Status = Object.freeze({ code: 'Skip', reasons: [] });

/** A failed status together with the plugin that returned it. */
export interface PluginStatus {
  readonly status: Status;
  readonly plugin: string;
}

export const isRejection = (s: Status | undefined): s is Status => s !== undefined && s.code !== 'Skip';
