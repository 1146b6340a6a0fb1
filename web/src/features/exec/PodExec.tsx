// An interactive terminal in a pod: xterm.js over the API server's exec WebSocket
// (exec-protocol.ts). Keys go out on stdin, stdout/stderr are written to the terminal, the
// terminal's size is sent on the resize channel whenever it changes, and the final Status says
// how the command ended. Command (default `sh`) and container can be changed, then run again.
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { useApi } from '../../api/context.tsx';
import { PODS } from '../../api/paths.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { useLiveObject } from '../detail/use-live-object.ts';
import { bearerProtocol, closeStdinFrame, ERROR, execUrl, frame, outcomeOf, PROTOCOLS, resizeFrame, splitCommand, STDERR, STDIN, STDOUT } from './exec-protocol.ts';
import './exec.css';

type Phase = 'connecting' | 'open' | 'ended' | 'failed';

interface Session {
  /** Bumped by "Run" to start a new session with the same or new settings. */
  run: number;
  container: string;
  command: string[];
}

export function PodExec({ ns, name }: { ns: string; name: string }) {
  const api = useApi();
  const pod = useLiveObject(PODS, ns, name);
  const containers = ((pod.obj?.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => c.name);
  const [container, setContainer] = useState('');
  const [commandLine, setCommandLine] = useState('sh');
  const [session, setSession] = useState<Session | null>(null);
  const [phase, setPhase] = useState<Phase>('connecting');
  const [message, setMessage] = useState('');
  const host = useRef<HTMLDivElement>(null);
  const chosen = container && containers.includes(container) ? container : (containers[0] ?? '');

  // The first session starts once the pod (and so its containers) is known.
  useEffect(() => {
    if (!session && chosen) setSession({ run: 1, container: chosen, command: ['sh'] });
  }, [session, chosen]);

  useEffect(() => {
    const el = host.current;
    if (!session || !el) return;
    const term = new Terminal({ cursorBlink: true, convertEol: false, fontSize: 13, fontFamily: "ui-monospace, 'DejaVu Sans Mono', monospace", theme: { background: '#0d1117' } });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    fit.fit();
    setPhase('connecting');
    setMessage('');
    const url = execUrl(window.location, { ns, pod: name, container: session.container, command: session.command, tty: true });
    const ws = new WebSocket(url, [...PROTOCOLS, bearerProtocol(api.token)]);
    ws.binaryType = 'arraybuffer';
    const decoder = new TextDecoder();
    let status = '';
    const send = (data: Uint8Array<ArrayBuffer>): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    };
    ws.onopen = () => {
      setPhase('open');
      send(resizeFrame(term.cols, term.rows));
      term.focus();
    };
    ws.onmessage = (ev: MessageEvent<ArrayBuffer>) => {
      const bytes = new Uint8Array(ev.data);
      const ch = bytes[0];
      const body = bytes.subarray(1);
      if (ch === STDOUT || ch === STDERR) term.write(body);
      else if (ch === ERROR) status += decoder.decode(body);
    };
    ws.onerror = () => {
      // The close event that follows carries what can be said.
    };
    ws.onclose = (ev) => {
      if (status) {
        const out = outcomeOf(status);
        setPhase('ended');
        setMessage(out.exitCode === 0 ? 'Session ended (exit code 0).' : `Session ended: ${out.message ?? `exit code ${out.exitCode}`}.`);
      } else if (ev.code === 1000 || ev.code === 1005) {
        setPhase('ended');
        setMessage('Session ended.');
      } else {
        setPhase('failed');
        setMessage(`The exec connection failed or was lost (WebSocket close ${ev.code}${ev.reason ? `: ${ev.reason}` : ''}). Check that the pod is running and the token may exec into it.`);
      }
      term.write('\r\n\x1b[2m[session closed]\x1b[0m\r\n');
    };
    const input = term.onData((d) => send(frame(STDIN, d)));
    const resized = term.onResize(({ cols, rows }) => send(resizeFrame(cols, rows)));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(el);
    return () => {
      observer.disconnect();
      input.dispose();
      resized.dispose();
      if (ws.readyState === WebSocket.OPEN && ws.protocol === PROTOCOLS[0]) ws.send(closeStdinFrame());
      ws.close();
      term.dispose();
    };
  }, [api, ns, name, session]);

  if (pod.error) return <ErrorBanner error={pod.error} />;
  const start = (): void => {
    const command = splitCommand(commandLine);
    setSession((s) => ({ run: (s?.run ?? 0) + 1, container: chosen, command: command.length ? command : ['sh'] }));
  };
  return (
    <div className="pod-exec" data-testid="pod-exec">
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <label className="check">
          Container
          <select value={chosen} onChange={(e) => setContainer(e.target.value)} data-testid="exec-container">
            {containers.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="check">
          Command
          <input value={commandLine} onChange={(e) => setCommandLine(e.target.value)} data-testid="exec-command" />
        </label>
        <button type="submit" data-testid="exec-run">
          {phase === 'open' ? 'Restart' : 'Run'}
        </button>
        <span className={`exec-state exec-${phase}`} data-testid="exec-status">
          {phase}
        </span>
      </form>
      {message ? (
        <div className={`banner ${phase === 'failed' ? 'error' : 'ok'}`} data-testid="exec-message" role={phase === 'failed' ? 'alert' : undefined}>
          {message}
        </div>
      ) : null}
      <div className="terminal" ref={host} data-testid="exec-terminal" />
    </div>
  );
}
