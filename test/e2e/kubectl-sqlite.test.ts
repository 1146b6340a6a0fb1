// Issue #2 with the embedded sqlite datastore: the whole kubectl scenario with kubectl 1.32
// (the version Tugboat targets) and 1.27 (an older client that reads OpenAPI v2 and older
// discovery).
import { kubectlScenario } from './kubectl-scenario.js';

kubectlScenario({ datastore: 'sqlite', kubectlVersion: '1.32' });
kubectlScenario({ datastore: 'sqlite', kubectlVersion: '1.27' });
