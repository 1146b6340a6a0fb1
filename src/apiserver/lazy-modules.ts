// Libraries the API server needs only for occasional requests — YAML request bodies, the protobuf
// form of /openapi/v2 — loaded synchronously on first use instead of at start-up, so an idle
// server does not carry their code (each is a few MB of a fresh process's memory). Both are
// CommonJS packages, which `require` can load from an ES module without making callers async.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

type Yaml = typeof import('yaml');
type ProtobufLight = typeof import('protobufjs/light.js');

let yamlModule: Yaml | undefined;
let protobufModule: ProtobufLight | undefined;

export function yaml(): Yaml {
  yamlModule ??= load('yaml') as Yaml;
  return yamlModule;
}

export function protobufLight(): ProtobufLight {
  protobufModule ??= load('protobufjs/light.js') as ProtobufLight;
  return protobufModule;
}
