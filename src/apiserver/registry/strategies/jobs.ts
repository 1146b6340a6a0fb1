// Jobs: unless the user manages the selector, a Job selects its pods by its own uid, so the
// selector and template labels are generated at create time (after the uid exists, before
// validation checks them).
import type { ApiObject } from '../../../api/kind.js';
import { generateJobSelector, type Job } from '../../../api/batch/v1/index.js';
import type { Strategy } from '../strategy.js';

export const jobStrategy: Strategy = {
  tracksGeneration: true,
  allowCreateOnUpdate: false,
  prepareForCreate(obj: ApiObject) {
    generateJobSelector(obj as unknown as Job);
  },
};
