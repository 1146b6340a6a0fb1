// The pods/log request the viewer's controls stand for, in the API's own parameters: container,
// follow, previous, tailLines, sinceSeconds, and always timestamps (the viewer shows or hides
// them itself, and needs them to resume a followed stream without repeating lines).

export interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  /** 0 means all lines. */
  tailLines: number;
  /** 0 means from the start. */
  sinceSeconds: number;
}

export function logPath(ns: string, pod: string, o: LogOptions, resumeFrom?: string): string {
  const q = new URLSearchParams();
  if (o.container) q.set('container', o.container);
  if (o.follow && !o.previous) q.set('follow', 'true');
  if (o.previous) q.set('previous', 'true');
  q.set('timestamps', 'true');
  if (resumeFrom) q.set('sinceTime', resumeFrom.replace(/\.\d+/, ''));
  else {
    if (o.tailLines > 0) q.set('tailLines', String(o.tailLines));
    if (o.sinceSeconds > 0) q.set('sinceSeconds', String(o.sinceSeconds));
  }
  return `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/log?${q}`;
}
