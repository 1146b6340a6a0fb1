// An AbortSignal that fires on the first SIGINT or SIGTERM, so long-running commands stop
// their components cleanly; a second signal exits at once.
export function shutdownSignal(): AbortSignal {
  const ac = new AbortController();
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count += 1;
    if (count > 1) process.exit(sig === 'SIGINT' ? 130 : 143);
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return ac.signal;
}
