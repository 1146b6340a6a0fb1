// Which pods' tracking finalizers a Job is still waiting to see removed. Between the patch that
// removes a finalizer and the informer showing it gone, a stale cache would present an already
// counted pod as new; pods listed here are skipped until their update (or deletion) arrives.
export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  expect(jobKey: string, uids: Iterable<string>): void {
    let s = this.byJob.get(jobKey);
    if (!s) this.byJob.set(jobKey, (s = new Set()));
    for (const u of uids) s.add(u);
  }

  /** The finalizer is gone (or the patch failed and will not be observed). */
  observed(jobKey: string, uid: string): void {
    const s = this.byJob.get(jobKey);
    if (!s) return;
    s.delete(uid);
    if (s.size === 0) this.byJob.delete(jobKey);
  }

  expected(jobKey: string): ReadonlySet<string> {
    return this.byJob.get(jobKey) ?? new Set();
  }

  forget(jobKey: string): void {
    this.byJob.delete(jobKey);
  }
}
