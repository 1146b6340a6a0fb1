// The CronJob controller against a real tug server, on an injected frozen clock that the tests
// move to scheduled times (no waiting for real minutes). No Job controller runs: the tests
// finish Jobs by writing the status the Job controller would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cronJobKind, jobKind, type CronJob, type Job } from '../../api/batch/v1/index.js';
import { parseCron } from '../../lib/cron.js';
import { createNamespace, eventsFor, eventually, startCluster, TestClock, type Cluster } from '../testing/index.test.js';
import { cronJobController, SCHEDULED_TIMESTAMP_ANNOTATION } from './index.js';

type Spec = NonNullable<CronJob['spec']>;

const ts = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const minute = (ms: number): number => Math.floor(ms / 60_000);

describe('cronjob controller against a real server', () => {
  let c: Cluster;
  let n = 0;

  before(async () => {
    c = await startCluster();
  });
  after(async () => {
    if (process.env.JOB_TEST_LOGS) console.log(c.logs.join('\n'));
    await c.stop();
  });

  /** A namespace, a frozen clock and a controller of this test's own; stopped by the returned function. */
  async function setup(name: string, spec: Partial<Spec>) {
    const namespace = `cron-${++n}`;
    await createNamespace(c.client, namespace);
    const clock = new TestClock({ frozenAt: Date.now() });
    const ctl = c.start({ clock, controllers: [cronJobController] });
    const cj = await c.client.create<CronJob>(cronJobKind, namespace, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          metadata: { labels: { app: name } },
          spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } },
        },
        ...spec,
      },
    });
    const sched = parseCron(cj.spec?.schedule ?? '');
    const tz = cj.spec?.timeZone;
    /** The n-th scheduled time after creation (1-based). */
    const nth = (k: number): number => {
      let t = Date.parse(cj.metadata?.creationTimestamp ?? '');
      for (let i = 0; i < k; i++) t = sched.next(new Date(t), tz).getTime();
      return t;
    };
    const jobs = async (): Promise<Job[]> => (await c.client.list<Job>(jobKind, namespace)).items;
    const jobNamed = async (at: number): Promise<Job | undefined> => (await jobs()).find((j) => j.metadata?.name === `${name}-${minute(at)}`);
    const getCj = (): Promise<CronJob> => c.client.get<CronJob>(cronJobKind, namespace, name);
    const finish = async (job: Job, type: 'Complete' | 'Failed', at: number): Promise<void> => {
      const next = structuredClone(job);
      const cond = (t: string) => ({ type: t, status: 'True' as const, lastTransitionTime: ts(at), reason: 'R', message: 'm' });
      next.status = {
        startTime: ts(at),
        ...(type === 'Complete' ? { completionTime: ts(at), succeeded: 1 } : { failed: 1 }),
        conditions: type === 'Complete' ? [cond('SuccessCriteriaMet'), cond('Complete')] : [cond('FailureTarget'), cond('Failed')],
      };
      await c.client.update(jobKind, namespace, next, { subresource: 'status' });
    };
    const done = async (): Promise<void> => {
      await c.client.delete(cronJobKind, namespace, name).catch(() => undefined);
      await ctl.stop();
    };
    return { namespace, clock, cj, nth, jobs, jobNamed, getCj, finish, done };
  }

  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 400));

  it('starts a Job at each scheduled time and follows it to completion', async () => {
    const t = await setup('tick', { schedule: '*/5 * * * *' });
    try {
      await settle();
      assert.equal((await t.jobs()).length, 0, 'nothing before the first scheduled time');
      t.clock.set(t.nth(1) + 1000);
      const job = await eventually(() => t.jobNamed(t.nth(1)), { what: 'first job' });
      assert.equal(job.metadata?.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], ts(t.nth(1)));
      assert.equal(job.metadata?.labels?.app, 'tick');
      const ref = job.metadata?.ownerReferences?.[0];
      assert.deepEqual([ref?.kind, ref?.name, ref?.uid, ref?.controller], ['CronJob', 'tick', t.cj.metadata?.uid, true]);
      let cj = await eventually(async () => {
        const x = await t.getCj();
        return x.status?.active?.length === 1 ? x : undefined;
      });
      assert.deepEqual(cj.status?.active?.map((r) => [r.kind, r.apiVersion, r.name, r.uid]), [['Job', 'batch/v1', job.metadata?.name, job.metadata?.uid]]);
      assert.equal(cj.status?.lastScheduleTime, ts(t.nth(1)));
      await t.finish(job, 'Complete', t.nth(1) + 30_000);
      cj = await eventually(async () => {
        const x = await t.getCj();
        return x.status?.active === undefined && x.status?.lastSuccessfulTime ? x : undefined;
      });
      assert.equal(cj.status?.lastSuccessfulTime, ts(t.nth(1) + 30_000));
      t.clock.set(t.nth(2) + 1000);
      await eventually(() => t.jobNamed(t.nth(2)), { what: 'second job' });
      const events = await eventually(async () => {
        const evs = await eventsFor(c.client, t.namespace, 'tick');
        return evs.filter((e) => e.reason === 'SuccessfulCreate').length === 2 ? evs : undefined;
      });
      assert.ok(events.some((e) => e.message === `Created job ${job.metadata?.name ?? ''}`));
      assert.ok(events.some((e) => e.reason === 'SawCompletedJob' && e.message === `Saw completed job: ${job.metadata?.name ?? ''}, condition: Complete`));
    } finally {
      await t.done();
    }
  });

  it('skips a run while the previous one is active under Forbid', async () => {
    const t = await setup('solo', { concurrencyPolicy: 'Forbid' });
    try {
      t.clock.set(t.nth(1) + 1000);
      const first = await eventually(() => t.jobNamed(t.nth(1)));
      await eventually(async () => ((await t.getCj()).status?.active?.length === 1 ? true : undefined));
      t.clock.set(t.nth(2) + 1000);
      await eventually(async () => ((await eventsFor(c.client, t.namespace, 'solo')).some((e) => e.reason === 'JobAlreadyActive') ? true : undefined), {
        what: 'JobAlreadyActive',
      });
      assert.equal((await t.jobs()).length, 1);
      // Once the running Job finished, the skipped run starts late (no starting deadline is set).
      await t.finish(first, 'Complete', t.nth(2));
      await eventually(() => t.jobNamed(t.nth(2)), { what: 'the late run' });
    } finally {
      await t.done();
    }
  });

  it('replaces the running Job under Replace', async () => {
    const t = await setup('swap', { concurrencyPolicy: 'Replace' });
    try {
      t.clock.set(t.nth(1) + 1000);
      const first = await eventually(() => t.jobNamed(t.nth(1)));
      await eventually(async () => ((await t.getCj()).status?.active?.length === 1 ? true : undefined));
      t.clock.set(t.nth(2) + 1000);
      const second = await eventually(() => t.jobNamed(t.nth(2)));
      await eventually(async () => ((await t.jobNamed(t.nth(1))) ? undefined : true), { what: 'first job deleted' });
      const cj = await eventually(async () => {
        const x = await t.getCj();
        return x.status?.active?.length === 1 && x.status.active[0]?.uid === second.metadata?.uid ? x : undefined;
      });
      assert.equal(cj.status?.lastScheduleTime, ts(t.nth(2)));
      const evs = await eventsFor(c.client, t.namespace, 'swap');
      assert.ok(evs.some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted job ${first.metadata?.name ?? ''}`));
    } finally {
      await t.done();
    }
  });

  it('keeps only successfulJobsHistoryLimit and failedJobsHistoryLimit finished Jobs', async () => {
    const t = await setup('hist', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
    try {
      const outcomes = ['Complete', 'Complete', 'Failed', 'Failed'] as const;
      for (let i = 1; i <= 4; i++) {
        t.clock.set(t.nth(i) + 1000);
        const job = await eventually(() => t.jobNamed(t.nth(i)), { what: `job ${i}` });
        await t.finish(job, outcomes[i - 1] as 'Complete' | 'Failed', t.nth(i) + 10_000);
      }
      await eventually(
        async () => {
          const names = (await t.jobs()).map((j) => j.metadata?.name).sort();
          return JSON.stringify(names) === JSON.stringify([`hist-${minute(t.nth(2))}`, `hist-${minute(t.nth(4))}`].sort()) ? true : undefined;
        },
        { what: 'only the newest complete and the newest failed job left' },
      );
    } finally {
      await t.done();
    }
  });

  it('reads the schedule in spec.timeZone', async () => {
    const t = await setup('tokyo', { schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' });
    try {
      const at = t.nth(1);
      assert.equal(new Date(at).getUTCHours(), 0, '09:00 in Tokyo is midnight UTC');
      t.clock.set(at + 1000);
      const job = await eventually(() => t.jobNamed(at), { what: 'the Tokyo-morning job' });
      assert.match(job.metadata?.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION] ?? '', /T09:00:00\+09:00$/);
      assert.equal((await t.jobs()).length, 1);
    } finally {
      await t.done();
    }
  });

  it('skips a time missed by more than startingDeadlineSeconds and runs the next one', async () => {
    const t = await setup('late', { schedule: '*/5 * * * *', startingDeadlineSeconds: 60 });
    try {
      t.clock.set(t.nth(1) + 120_000);
      await settle();
      assert.equal((await t.jobs()).length, 0, 'two minutes late is past the deadline');
      t.clock.set(t.nth(2) + 1000);
      await eventually(() => t.jobNamed(t.nth(2)), { what: 'the next run' });
      assert.equal(await t.jobNamed(t.nth(1)), undefined);
    } finally {
      await t.done();
    }
  });

  it('warns about too many missed start times and runs only the latest', async () => {
    const t = await setup('behind', {});
    try {
      t.clock.set(t.nth(200) + 1000);
      await eventually(() => t.jobNamed(t.nth(200)), { what: 'the latest run' });
      const evs = await eventually(async () => {
        const e = await eventsFor(c.client, t.namespace, 'behind');
        return e.some((x) => x.reason === 'TooManyMissedTimes') ? e : undefined;
      });
      assert.ok(evs.some((e) => e.type === 'Warning' && e.message.startsWith('too many missed start times')));
      await settle();
      assert.equal((await t.jobs()).length, 1);
    } finally {
      await t.done();
    }
  });

  it('starts nothing while suspended', async () => {
    const t = await setup('paused', { suspend: true, startingDeadlineSeconds: 30 });
    try {
      t.clock.set(t.nth(1) + 1000);
      await settle();
      assert.equal((await t.jobs()).length, 0);
      await c.client.patch(cronJobKind, t.namespace, 'paused', { type: 'merge', body: { spec: { suspend: false } } });
      await eventually(() => t.jobNamed(t.nth(1)), { what: 'the run still within its deadline' });
    } finally {
      await t.done();
    }
  });
});
