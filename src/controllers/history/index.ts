// Public face of the ControllerRevision history shared by the DaemonSet and StatefulSet
// controllers: hashing, building and storing revisions, claiming owned objects by selector, and
// the pod readiness rules both controllers roll out by.
export { canonicalJson, fnv1a32, hashOf, safeEncode, sortKeys } from './hash.js';
export {
  REVISION_HASH_LABEL,
  equalRevision,
  newRevision,
  nextRevision,
  normalizeTemplate,
  revisionName,
  revisionsToPrune,
  sortRevisions,
  templateHash,
  templateOf,
  templatePatch,
  type NewRevisionOptions,
} from './revisions.js';
export { createRevision, deleteRevision, renumberRevision } from './store.js';
export { claimObjects, type ClaimOptions } from './claim.js';
export { byCreation, isPodAvailable, isPodReady, isRunning, isTerminating, msUntilAvailable } from './pod-state.js';
export { writeStatus } from './status-writer.js';
