// A tiny history router (no dependency): the current location as React state, navigate() to
// push a new one, and <Link> for anchors that navigate without reloading the page.
import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';

const CHANGE = 'tug:navigate';

export interface Loc {
  path: string;
  search: URLSearchParams;
}

const current = (): Loc => ({ path: window.location.pathname, search: new URLSearchParams(window.location.search) });

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

/** Replaces query parameters on the current URL (empty values are dropped) without a history entry. */
export function setQuery(changes: Record<string, string | undefined>): void {
  const s = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v) s.set(k, v);
    else s.delete(k);
  }
  const q = s.toString();
  navigate(`${window.location.pathname}${q ? `?${q}` : ''}`, { replace: true });
}

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = (): void => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return loc;
}

export function Link(props: { to: string; children: ReactNode; className?: string; testId?: string; title?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={props.to} onClick={onClick} className={props.className} data-testid={props.testId} title={props.title}>
      {props.children}
    </a>
  );
}
