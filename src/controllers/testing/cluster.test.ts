// A cluster for controller integration tests (no tests of its own; named *.test.ts so the build
// leaves it out): a real `tug server` with no controllers and no scheduler, the controllers under
// test run in-process against it through the real controller manager on a clock the test can
// move, and optionally a fake kubelet that marks new pods Running and Ready.
import { HttpClient, type Client } from '../../client/index.js';
import { runControllerManager } from '../manager.js';
import type { ControllerFactory } from '../runtime/index.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { TestClock } from './clock.test.js';
import { runFakeKubelet, type FakeKubeletOptions } from './kubelet.test.js';

export interface Cluster {
  server: TugServer;
  client: HttpClient;
  /** The clock `run` gives controllers. */
  clock: TestClock;
  /** What the controllers, informers and event recorders logged; print it when a test fails. */
  logs: string[];
  /** Runs controllers (ours, in-process, sharing informers) until stop(). */
  run(...factories: ControllerFactory[]): void;
  /** Runs controllers with informers and a clock of their own until the returned stop(). */
  start(o: { clock: TestClock; controllers: ControllerFactory[] }): { stop(): Promise<void> };
  /** Marks pods Running and Ready like a kubelet would, until stop(). */
  fakeKubelet(o?: FakeKubeletOptions): void;
  stop(): Promise<void>;
}

interface Running {
  stop(): Promise<void>;
}

function runControllers(client: Client, o: { clock: TestClock; controllers: ControllerFactory[]; rootCaPem: string; log(m: string): void }): Running {
  const abort = new AbortController();
  const controllers = Object.fromEntries(o.controllers.map((f, i) => [`controller-${i}`, f]));
  const done = runControllerManager({ client, controllers, select: '*', clock: o.clock, log: o.log, rootCaPem: o.rootCaPem }, abort.signal);
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}

export async function startCluster(o: { clock?: TestClock } = {}): Promise<Cluster> {
  const server = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
  const client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
  const logs: string[] = [];
  const log = (m: string): void => void logs.push(m);
  const clock = o.clock ?? new TestClock();
  const running: Running[] = [];
  const launch = (c: { clock: TestClock; controllers: ControllerFactory[] }): Running => {
    const r = runControllers(client, { ...c, rootCaPem: server.caCertPem, log });
    running.push(r);
    return r;
  };
  return {
    server,
    client,
    clock,
    logs,
    run(...controllers) {
      launch({ clock, controllers });
    },
    start: launch,
    fakeKubelet(ko = {}) {
      running.push(runFakeKubelet(client, { ...ko, log }));
    },
    async stop() {
      await Promise.all(running.map((r) => r.stop()));
      client.close();
      await server.cleanup();
    },
  };
}
