// A kind's write strategy: what the generic store does differently for it on create, update and
// delete (reset status, track generation, allocate a cluster IP, delay deletion for graceful pod
// termination). Kinds without an entry in strategies/index.ts get the default strategy; only
// behaviour that differs is written per kind.
import type { ApiObject } from '../../api/kind.js';
import type { UserInfo } from '../auth/tokens.js';
import type { FieldManager } from '../patch/index.js';

export interface WriteContext {
  now: Date;
  user: UserInfo | undefined;
  dryRun: boolean;
  /** Warnings sent back to the client in `Warning` headers. */
  warnings: string[];
  /** Who writes, for metadata.managedFields; absent for the control plane's own writes. */
  fieldManager?: FieldManager;
}

export interface Strategy {
  /** metadata.generation starts at 1 and is bumped whenever anything outside metadata/status changes. */
  readonly tracksGeneration: boolean;
  /** PUT of a missing object creates it (Endpoints, Lease). */
  readonly allowCreateOnUpdate: boolean;
  /** Extra work on create after defaults, before validation (status reset is generic). */
  prepareForCreate?(obj: ApiObject, ctx: WriteContext): void | Promise<void>;
  /** Extra work on a spec (main resource) update, before validation. */
  prepareForUpdate?(obj: ApiObject, old: ApiObject, ctx: WriteContext): void | Promise<void>;
  /**
   * Seconds a delete waits before the object is removed, given what the client asked for.
   * 0 deletes at once; otherwise deletionTimestamp is set and someone else (a kubelet, the
   * namespace lifecycle) finishes the job.
   */
  gracePeriod?(obj: ApiObject, requested: number | undefined): number;
  /** Finalizers a delete always adds (Namespace's `kubernetes` lives in spec, so it says so here). */
  pendingOnDelete?(obj: ApiObject): boolean;
  /** Called with the object as deletion starts (e.g. namespace phase Terminating). */
  beginDelete?(obj: ApiObject, ctx: WriteContext): void;
  /** Checks before create that may need other objects (e.g. a namespace must exist). */
  admit?(obj: ApiObject, ctx: WriteContext): Promise<void>;
}

export const defaultStrategy: Strategy = { tracksGeneration: false, allowCreateOnUpdate: false };
