// One way to show an error: a red banner with readable text (Status reason, code and message).
import { describeError } from '../api/client.ts';

export function ErrorBanner({ error, testId = 'error-banner' }: { error: unknown; testId?: string }) {
  if (!error) return null;
  return (
    <div className="banner error" role="alert" data-testid={testId}>
      {describeError(error)}
    </div>
  );
}
