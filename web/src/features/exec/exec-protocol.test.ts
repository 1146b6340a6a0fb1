// The exec protocol helpers: token sub-protocol encoding (matching the server's decoder), URL,
// framing, command splitting and reading the final Status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProtocolToken } from '../../../../src/apiserver/auth/websocket-token.ts';
import { bearerProtocol, closeStdinFrame, execUrl, outcomeOf, resizeFrame, splitCommand } from './exec-protocol.ts';

describe('exec protocol', () => {
  it('encodes the token so the API server reads it back', () => {
    for (const token of ['abc', 'eyJhbGciOi.J9.x-y_z', 'ü?>~']) {
      const p = bearerProtocol(token);
      assert.match(p, /^base64url\.bearer\.authorization\.k8s\.io\.[A-Za-z0-9_-]+$/);
      assert.deepEqual(parseProtocolToken(`v5.channel.k8s.io, ${p}`), { kind: 'token', token, rest: ['v5.channel.k8s.io'] });
    }
  });

  it('builds the exec URL on the page origin', () => {
    const url = execUrl({ protocol: 'https:', host: '127.0.0.1:6443' }, { ns: 'default', pod: 'web-1', container: 'app', command: ['sh', '-c', 'echo ok'], tty: true });
    assert.equal(url, 'wss://127.0.0.1:6443/api/v1/namespaces/default/pods/web-1/exec?container=app&command=sh&command=-c&command=echo+ok&stdin=true&stdout=true&stderr=false&tty=true');
  });

  it('frames resize and close messages', () => {
    assert.deepEqual([...resizeFrame(80, 24)], [4, ...new TextEncoder().encode('{"Width":80,"Height":24}')]);
    assert.deepEqual([...closeStdinFrame()], [255, 0]);
  });

  it('splits a command line with quotes', () => {
    assert.deepEqual(splitCommand(`sh -c 'echo a b' "x y"`), ['sh', '-c', 'echo a b', 'x y']);
  });

  it('reads the exit code from the final Status', () => {
    assert.deepEqual(outcomeOf('{"status":"Success"}'), { exitCode: 0 });
    assert.deepEqual(outcomeOf('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}'), { exitCode: 3 });
    assert.equal(outcomeOf('{"status":"Failure","message":"executable not found"}').message, 'executable not found');
  });
});
