// Issue #2 with a real etcd as the datastore: the same kubectl scenario as on sqlite, with
// kubectl 1.32 and 1.27, each against its own throwaway etcd member.
import { kubectlScenario } from './kubectl-scenario.js';

kubectlScenario({ datastore: 'etcd', kubectlVersion: '1.32' });
kubectlScenario({ datastore: 'etcd', kubectlVersion: '1.27' });
