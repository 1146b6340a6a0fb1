// Unit tests of image pull credentials: image reference parsing, matching docker config entries
// by registry host, port, glob and path, Docker Hub's aliases, both secret formats, and ordering.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Secret } from '../../api/core/v1/index.js';
import { credentialsFor, parseImageRef } from './pull-secrets.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const configJson = (auths: Record<string, unknown>): Secret => ({
  type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) },
});

describe('image pull secrets', () => {
  it('parses image references as containerd normalises them', () => {
    assert.deepEqual(parseImageRef('nginx'), { registry: 'docker.io', path: 'library/nginx' });
    assert.deepEqual(parseImageRef('bitnami/redis:7'), { registry: 'docker.io', path: 'bitnami/redis' });
    assert.deepEqual(parseImageRef('localhost:5000/team/app:1.0@sha256:abc'), { registry: 'localhost:5000', path: 'team/app' });
    assert.deepEqual(parseImageRef('registry.example.com/app'), { registry: 'registry.example.com', path: 'app' });
  });

  it('matches entries by host, port, glob and path prefix, most specific first', () => {
    const secrets = [
      configJson({
        'registry.example.com': { auth: b64('generic:pw1') },
        'https://registry.example.com/team/': { username: 'team', password: 'pw2' },
        '*.corp.example': { username: 'corp', password: 'pw3' },
        '127.0.0.1:5000': { username: 'local', password: 'pw4' },
        'https://index.docker.io/v1/': { username: 'hub', password: 'pw5' },
      }),
    ];
    const users = (image: string): string[] => credentialsFor(image, secrets).map((a) => a.username ?? '');
    assert.deepEqual(users('registry.example.com/team/app:1'), ['team', 'generic']);
    assert.deepEqual(users('registry.example.com/other/app'), ['generic']);
    assert.deepEqual(users('git.corp.example/x'), ['corp']);
    assert.deepEqual(users('a.b.corp.example/x'), []);
    assert.deepEqual(users('127.0.0.1:5000/x'), ['local']);
    assert.deepEqual(users('127.0.0.1:5001/x'), []);
    assert.deepEqual(users('nginx:1.27'), ['hub']);
    const generic = credentialsFor('registry.example.com/other/app', secrets)[0];
    assert.deepEqual(generic, { serverAddress: 'registry.example.com', username: 'generic', password: 'pw1', auth: b64('generic:pw1') });
  });

  it('reads the legacy .dockercfg format and ignores malformed secrets', () => {
    const legacy: Secret = { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'quay.io': { auth: b64('q:pw') } })) } };
    const broken: Secret = { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{nope') } };
    assert.deepEqual(credentialsFor('quay.io/org/img', [broken, legacy]).map((a) => [a.username, a.password]), [['q', 'pw']]);
  });
});
