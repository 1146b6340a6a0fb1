// The hand-written admin kubeconfig must read back, through a real YAML parser, as exactly the
// document kubectl expects — also when values hold characters YAML treats specially.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { renderKubeconfig } from './kubeconfig.js';

describe('renderKubeconfig', () => {
  it('parses back as the kubeconfig for one cluster, user and context', () => {
    const caCertPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const input = { server: 'https://[::1]:6443', caCertPem, token: 'a: "b" #c\\d', user: 'admin' };
    assert.deepEqual(parse(renderKubeconfig(input)), {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'tugboat', cluster: { server: 'https://[::1]:6443', 'certificate-authority-data': Buffer.from(caCertPem).toString('base64') } }],
      users: [{ name: 'admin', user: { token: 'a: "b" #c\\d' } }],
      contexts: [{ name: 'tugboat', context: { cluster: 'tugboat', user: 'admin', namespace: 'default' } }],
      'current-context': 'tugboat',
      preferences: {},
    });
  });

  it('names the cluster and context as asked', () => {
    const doc = parse(renderKubeconfig({ server: 'https://127.0.0.1:1', caCertPem: 'x', token: 't', user: 'u', clusterName: 'prod' })) as { 'current-context': string; contexts: { context: { cluster: string } }[] };
    assert.equal(doc['current-context'], 'prod');
    assert.equal(doc.contexts[0]?.context.cluster, 'prod');
  });

  it('writes URLs, base64 and plain tokens unquoted, as kubeconfigs usually read, and quotes what YAML would change', () => {
    const text = renderKubeconfig({ server: 'https://10.0.0.1:6443', caCertPem: 'pem', token: 'abc123', user: 'admin' });
    assert.match(text, /^ {6}server: https:\/\/10\.0\.0\.1:6443$/m);
    assert.match(text, /^ {6}token: abc123$/m);
    for (const token of ['12345', 'true', 'K10ab::node:cd', '0x1F']) {
      const doc = parse(renderKubeconfig({ server: 'https://h:1', caCertPem: 'x', token, user: 'u' })) as { users: { user: { token: unknown } }[] };
      assert.equal(doc.users[0]?.user.token, token);
    }
  });
});
