// How a remote command's outcome travels on the error stream. Protocol v4 and later send a
// metav1.Status: Success, or Failure with reason NonZeroExitCode and the code in a cause, which
// kubectl turns into its own exit code; any other failure is a plain message. Older protocols
// send the message as text and nothing on success. Both directions are here: the agent writes
// outcomes to kubectl and reads them back from the container runtime's stream server.

/** How a remote command ended: an exit code, or a failure to run it at all. */
export type RemoteCommandOutcome = { exitCode: number } | { error: string };

export function encodeOutcome(o: RemoteCommandOutcome, opts: { statusJson: boolean }): Buffer | undefined {
  if (!opts.statusJson) {
    if ('error' in o) return Buffer.from(o.error);
    return o.exitCode === 0 ? undefined : Buffer.from(`command terminated with non-zero exit code: exit status ${o.exitCode}`);
  }
  if ('exitCode' in o && o.exitCode === 0) return Buffer.from(JSON.stringify({ metadata: {}, status: 'Success' }));
  if ('exitCode' in o) {
    return Buffer.from(
      JSON.stringify({
        metadata: {},
        status: 'Failure',
        message: `command terminated with non-zero exit code: exit status ${o.exitCode}`,
        reason: 'NonZeroExitCode',
        details: { causes: [{ reason: 'ExitCode', message: String(o.exitCode) }] },
      }),
    );
  }
  return Buffer.from(JSON.stringify({ metadata: {}, status: 'Failure', message: o.error, reason: 'InternalError', details: { causes: [{ message: o.error }] }, code: 500 }));
}

/** Reads what a server wrote on the error stream back into an outcome. */
export function decodeOutcome(raw: Buffer, opts: { statusJson: boolean }): RemoteCommandOutcome {
  const text = raw.toString('utf8').trim();
  if (text === '') return { exitCode: 0 };
  if (!opts.statusJson) {
    const m = /exit (?:status|code) (\d+)/.exec(text);
    return m ? { exitCode: Number(m[1]) } : { error: text };
  }
  let status: { status?: string; message?: string; reason?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    return { error: text };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { exitCode: code };
  }
  return { error: status.message ?? text };
}
