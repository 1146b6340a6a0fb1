// Says whether the live views are connected; when a watch lost its connection it shows the
// reason and that it is reconnecting, so stale data is never mistaken for current.
import { useConnection } from '../api/connection.ts';

export function ConnectionBadge() {
  const c = useConnection();
  const label = c.state === 'live' ? 'Live' : c.state === 'connecting' ? 'Connecting…' : (c.message ?? 'Reconnecting…');
  return (
    <span className={`conn conn-${c.state}`} data-testid="connection-status" data-state={c.state} role="status" title={c.message}>
      {label}
    </span>
  );
}
