// The kubectl end-to-end scenario of issue #2, parameterised by datastore and kubectl version:
// one fresh `tug server`, then every step a user takes, in the order a user would take them
// (each step builds on the objects the earlier ones left). The *.test.ts files pick the
// combinations to run.
import { after, before, describe } from 'node:test';
import { KubectlSession, type ScenarioOptions } from './session.js';
import { applySteps } from './steps-apply.js';
import { readSteps } from './steps-read.js';
import { writeSteps } from './steps-write.js';
import { deleteSteps } from './steps-delete.js';

export function kubectlScenario(opts: ScenarioOptions): void {
  describe(`kubectl ${opts.kubectlVersion} against tug server on ${opts.datastore}`, { timeout: 600_000 }, () => {
    const session = new KubectlSession(opts);
    before(() => session.start());
    after(() => session.stop());
    applySteps(session);
    readSteps(session);
    writeSteps(session);
    deleteSteps(session);
  });
}
