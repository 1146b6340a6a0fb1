// Reads and writes of API objects that controller integration tests share (no tests of its own;
// named *.test.ts so the build leaves it out): a namespace per test, an object or undefined when
// it is gone, the pods behind a selector and the Events about an object.
import type { ApiObject, KindDef } from '../../api/kind.js';
import { eventKind, namespaceKind, podKind, type Pod } from '../../api/core/v1/index.js';
import type { Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';

/** A namespace per test keeps tests in one server apart. */
export async function createNamespace(client: Client, name: string): Promise<void> {
  await client.create(namespaceKind, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** The object, or undefined when it does not exist (any other error is thrown). */
export async function getOrUndefined<T extends ApiObject = ApiObject>(client: Client, kind: KindDef, ns: string | undefined, name: string): Promise<T | undefined> {
  try {
    return await client.get<T>(kind, ns, name);
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'NotFound') return undefined;
    throw err;
  }
}

export async function listPods(client: Client, ns: string, selector?: string): Promise<Pod[]> {
  return (await client.list<Pod>(podKind, ns, selector ? { labelSelector: selector } : {})).items;
}

/** Reasons and messages of the Events about the named object. */
export async function eventsFor(client: Client, ns: string, name: string): Promise<{ reason: string; message: string; type: string }[]> {
  const list = await client.list<ApiObject>(eventKind, ns);
  return list.items
    .filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name)
    .map((e) => ({ reason: String(e.reason ?? ''), message: String(e.message ?? ''), type: String(e.type ?? '') }));
}
