// The signed-in frame: header (namespace, connection, sign out), sidebar of resources from
// discovery, and the page the route table picks for the current URL.
import { useAppState } from '../app-context.tsx';
import { routes } from '../routes.tsx';
import { firstMatch } from '../lib/route-match.ts';
import { Link, useLocation } from '../router.tsx';
import { BASE, listPath } from '../lib/links.ts';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import { NamespaceSelect } from './NamespaceSelect.tsx';
import { navLabel, navSections } from './nav-groups.ts';

export function Shell({ onSignOut }: { onSignOut(): void }) {
  const { catalog } = useAppState();
  const loc = useLocation();
  const m = firstMatch(routes, loc.path);
  return (
    <div className="shell">
      <header className="top">
        <Link to={`${BASE}/`} className="brand">
          Tugboat
        </Link>
        <NamespaceSelect />
        <Link to={`${BASE}/apply`} className="button" testId="nav-apply">
          Apply YAML
        </Link>
        <span className="spacer" />
        <ConnectionBadge />
        <button type="button" className="link" onClick={onSignOut} data-testid="signout">
          Sign out
        </button>
      </header>
      <nav className="side">
        <Link to={`${BASE}/`} testId="nav-overview">
          Overview
        </Link>
        {navSections(catalog).map((s) => (
          <section key={s.title}>
            <h4>{s.title}</h4>
            {s.items.map((r) => (
              <Link key={r.token} to={listPath(r.token)} testId={`nav-${r.token}`} className={loc.path === listPath(r.token) ? 'active' : ''}>
                {navLabel(r)}
              </Link>
            ))}
          </section>
        ))}
      </nav>
      <main className="page" key={loc.path}>
        {m ? m.route.render(m.params, loc.search) : <p className="muted">No page at {loc.path}.</p>}
      </main>
    </div>
  );
}
