// Scripts the benchmark runs inside the dashboard page. Kept as source text: functions passed
// to page.evaluate would be serialised after tsx rewrote them (with helpers the page lacks), and
// the project's TypeScript is compiled without the DOM library.

/** Arms the timer: start at the next `event` on the document, stop when the list count reads `expected`. */
export const ARM = `(({ expected, event }) => {
  window.benchStart = undefined;
  window.benchDone = undefined;
  document.addEventListener(event, () => { if (window.benchStart === undefined) window.benchStart = performance.now(); }, { capture: true, once: true });
  const done = () => {
    const el = document.querySelector('[data-testid=list-count]');
    if (el && el.textContent === expected && window.benchStart !== undefined) { window.benchDone = performance.now(); return true; }
    return false;
  };
  const mo = new MutationObserver(() => { if (done()) mo.disconnect(); });
  mo.observe(document.body, { subtree: true, childList: true, characterData: true });
})`;

export const IS_DONE = 'window.benchDone !== undefined';
export const ELAPSED = 'window.benchDone - window.benchStart';

/** Fetches and parses the Pods Table with nothing drawn: the floor. */
export const FETCH_FLOOR = `(async ({ token, accept }) => {
  const t0 = performance.now();
  const res = await fetch('/api/v1/pods', { headers: { Authorization: 'Bearer ' + token, Accept: accept } });
  const body = await res.json();
  if (!body.rows) throw new Error('no Table rows');
  return performance.now() - t0;
})`;

export const call = (fn: string, arg: unknown): string => `${fn}(${JSON.stringify(arg)})`;
