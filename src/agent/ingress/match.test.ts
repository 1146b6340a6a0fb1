// Path and host matching as the Ingress API specifies it (the table of examples in the
// Ingress documentation, restated as cases), plus request-target and Host header parsing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareMatchers, normalizeHost, pathMatcher, pathMatches, requestPath, wildcardFor } from './match.js';

const matches = (path: string, type: string, req: string): boolean => pathMatches(pathMatcher(path, type), req);

describe('path matching', () => {
  it('Prefix matches whole path elements only', () => {
    assert.ok(matches('/foo', 'Prefix', '/foo'));
    assert.ok(matches('/foo', 'Prefix', '/foo/'));
    assert.ok(matches('/foo', 'Prefix', '/foo/bar'));
    assert.ok(!matches('/foo', 'Prefix', '/foobar'));
    assert.ok(!matches('/foo', 'Prefix', '/fo'));
    assert.ok(!matches('/aaa/bb', 'Prefix', '/aaa/bbb'));
    assert.ok(matches('/aaa/bbb', 'Prefix', '/aaa/bbb/ccc'));
  });

  it('Prefix ignores a trailing slash on either side', () => {
    assert.ok(matches('/foo/', 'Prefix', '/foo'));
    assert.ok(matches('/foo/', 'Prefix', '/foo/x'));
    assert.ok(!matches('/foo/', 'Prefix', '/foox'));
  });

  it('Prefix / matches everything', () => {
    for (const p of ['/', '/a', '/a/b/c']) assert.ok(matches('/', 'Prefix', p), p);
  });

  it('Exact matches the path and nothing else, trailing slash included', () => {
    assert.ok(matches('/foo', 'Exact', '/foo'));
    assert.ok(!matches('/foo', 'Exact', '/foo/'));
    assert.ok(!matches('/foo', 'Exact', '/foo/bar'));
    assert.ok(!matches('/foo/', 'Exact', '/foo'));
  });

  it('matching is case-sensitive', () => {
    assert.ok(!matches('/Foo', 'Prefix', '/foo'));
    assert.ok(!matches('/foo', 'Exact', '/FOO'));
  });

  it('ImplementationSpecific behaves as Prefix; an empty path covers everything', () => {
    assert.ok(matches('/api', 'ImplementationSpecific', '/api/v1'));
    assert.ok(!matches('/api', 'ImplementationSpecific', '/apis'));
    assert.ok(matches('', 'ImplementationSpecific', '/anything'));
  });

  it('orders longer paths first and Exact before Prefix at equal length', () => {
    const ms = [pathMatcher('/', 'Prefix'), pathMatcher('/foo', 'Prefix'), pathMatcher('/foo', 'Exact'), pathMatcher('/foo/bar', 'Prefix')];
    const sorted = [...ms].sort(compareMatchers).map((m) => `${m.kind}:${m.path}`);
    assert.deepEqual(sorted, ['Prefix:/foo/bar', 'Exact:/foo', 'Prefix:/foo', 'Prefix:']);
  });
});

describe('request parsing', () => {
  it('takes the path of a request target without the query', () => {
    assert.equal(requestPath('/a/b?x=1&y=/z'), '/a/b');
    assert.equal(requestPath('/'), '/');
    assert.equal(requestPath(undefined), '/');
    assert.equal(requestPath('http://example.com/x/y?q'), '/x/y');
    assert.equal(requestPath('http://example.com'), '/');
  });

  it('normalises Host headers: lower case, no port, no final dot', () => {
    assert.equal(normalizeHost('Foo.Example.COM:8080'), 'foo.example.com');
    assert.equal(normalizeHost('foo.example.com.'), 'foo.example.com');
    assert.equal(normalizeHost('[::1]:80'), '[::1]');
    assert.equal(normalizeHost(undefined), '');
  });

  it('finds the one-label wildcard that could cover a host', () => {
    assert.equal(wildcardFor('a.foo.com'), '*.foo.com');
    assert.equal(wildcardFor('b.a.foo.com'), '*.a.foo.com');
    assert.equal(wildcardFor('localhost'), undefined);
  });
});
