// status.conditions as a table, newest transition first.
import type { Condition } from '../../api/objects.ts';
import { ageOf } from '../../lib/age.ts';
import { useNow } from '../../lib/use-now.ts';

export function ConditionsTable({ conditions }: { conditions: readonly Condition[] }) {
  const now = useNow();
  if (!conditions.length) return <p className="muted">No conditions.</p>;
  return (
    <table className="grid" data-testid="conditions">
      <thead>
        <tr>
          <th>TYPE</th>
          <th>STATUS</th>
          <th>REASON</th>
          <th>MESSAGE</th>
          <th>LAST TRANSITION</th>
        </tr>
      </thead>
      <tbody>
        {conditions.map((c) => (
          <tr key={c.type} data-testid={`condition-${c.type}`}>
            <td>{c.type}</td>
            <td className={c.status === 'True' ? 'ok' : c.status === 'False' ? 'bad' : ''}>{c.status}</td>
            <td>{c.reason ?? ''}</td>
            <td>{c.message ?? ''}</td>
            <td>{c.lastTransitionTime ? ageOf(c.lastTransitionTime, now) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
