// The frame around a pod's logs, exec and flow pages: where you are and tabs between them.
import type { ReactNode } from 'react';
import { detailPath, listPath, podToolPath } from '../../lib/links.ts';
import { Link } from '../../router.tsx';

const TOOLS = ['logs', 'exec', 'flow'] as const;

export function PodToolFrame({ ns, name, tool, children }: { ns: string; name: string; tool: (typeof TOOLS)[number]; children: ReactNode }) {
  return (
    <section>
      <p className="crumbs">
        <Link to={listPath('pods')}>Pods</Link> / {ns} / <Link to={detailPath('pods', ns, name)}>{name}</Link>
      </p>
      <nav className="tabs">
        <Link to={detailPath('pods', ns, name)}>Details</Link>
        {TOOLS.map((t) => (
          <Link key={t} to={podToolPath(ns, name, t)} className={t === tool ? 'active' : ''} testId={`tab-${t}`}>
            {t[0]?.toUpperCase()}
            {t.slice(1)}
          </Link>
        ))}
      </nav>
      {children}
    </section>
  );
}
