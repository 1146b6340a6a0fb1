// Sign-in: the user pastes a bearer token (the admin token from `tug up`, or a ServiceAccount
// token); it is checked against the API before the dashboard opens, so a bad one is reported
// here as the server's 401 rather than as failures on every page.
import { useState, type FormEvent } from 'react';
import { ApiClient } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';

export function SignIn({ onSignedIn, initialError }: { onSignedIn(token: string): void; initialError?: unknown }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(initialError ?? null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const t = token.trim();
    if (!t) return setError(new Error('Paste a bearer token first.'));
    setBusy(true);
    setError(null);
    void new ApiClient(t)
      .get('/api')
      .then(() => onSignedIn(t))
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };
  return (
    <main className="signin">
      <form onSubmit={submit} className="card">
        <h1>Tugboat</h1>
        <p className="muted">
          Sign in with a bearer token: the admin token from <code>tug up</code> (the <code>token:</code> in its kubeconfig) or a
          ServiceAccount token. It is kept in this browser tab only.
        </p>
        <label>
          Token
          <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} data-testid="signin-token" autoFocus />
        </label>
        <button type="submit" disabled={busy} data-testid="signin-submit">
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <ErrorBanner error={error} testId="signin-error" />
      </form>
    </main>
  );
}
