// The app's top level: sign-in until a token is known, then discovery, then the shell with the
// routed page. A 401 from any request later (token revoked or expired) returns to sign-in.
import { useEffect, useMemo, useState } from 'react';
import { ApiClient, type ApiError } from './api/client.ts';
import { ApiProvider } from './api/context.tsx';
import { loadCatalog, type ResourceInfo } from './api/discovery.ts';
import { AppContext, type AppState } from './app-context.tsx';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import { SignIn } from './features/signin/SignIn.tsx';
import { Shell } from './layout/Shell.tsx';
import { session } from './lib/session.ts';

export function App() {
  const [token, setToken] = useState<string | null>(session.token);
  const [authError, setAuthError] = useState<ApiError | null>(null);
  const client = useMemo(
    () =>
      token
        ? new ApiClient(token, {
            onUnauthorized: (err) => {
              session.clearToken();
              setAuthError(err);
              setToken(null);
            },
          })
        : null,
    [token],
  );
  if (!client)
    return (
      <SignIn
        initialError={authError}
        onSignedIn={(t) => {
          session.setToken(t);
          setAuthError(null);
          setToken(t);
        }}
      />
    );
  return (
    <ApiProvider client={client}>
      <SignedIn
        client={client}
        onSignOut={() => {
          session.clearToken();
          setToken(null);
        }}
      />
    </ApiProvider>
  );
}

function SignedIn({ client, onSignOut }: { client: ApiClient; onSignOut(): void }) {
  const [catalog, setCatalog] = useState<ResourceInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [namespace, setNs] = useState(session.namespace);
  useEffect(() => {
    const ctl = new AbortController();
    void loadCatalog(client, ctl.signal)
      .then(setCatalog)
      .catch((err: unknown) => {
        if (!ctl.signal.aborted) setError(err);
      });
    return () => ctl.abort();
  }, [client]);
  const state = useMemo<AppState | null>(
    () =>
      catalog && {
        catalog,
        namespace,
        setNamespace: (ns) => {
          session.setNamespace(ns);
          setNs(ns);
        },
      },
    [catalog, namespace],
  );
  if (error)
    return (
      <div className="pad">
        <ErrorBanner error={error} />
        <button type="button" onClick={onSignOut} data-testid="signout">
          Sign out
        </button>
      </div>
    );
  if (!state) return <p className="muted pad">Reading the API's resources…</p>;
  return (
    <AppContext.Provider value={state}>
      <Shell onSignOut={onSignOut} />
    </AppContext.Provider>
  );
}
