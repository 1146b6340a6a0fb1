// Preloaded into the `tug server` process (via NODE_OPTIONS --import) when the bench runs with
// --cpu-prof DIR: Node 20 refuses --cpu-prof in NODE_OPTIONS, so this starts the V8 profiler
// through the in-process inspector and writes DIR/server-PID.cpuprofile when the process exits
// (open it in Chrome DevTools or speedscope to see where the server spends its time).
import { Session } from 'node:inspector';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TUG_BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 100 });
  session.post('Profiler.start');
  process.once('exit', () => {
    // An in-thread inspector session answers synchronously, so this completes before exit.
    session.post('Profiler.stop', (err, res) => {
      if (err) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `server-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
