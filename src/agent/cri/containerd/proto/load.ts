// Turns the proto fragments into gRPC client constructors. The fragments are parsed into one
// protobufjs root (they share package runtime.v1 and refer to each other's messages), then handed
// to proto-loader as JSON, so no .proto file has to exist on disk at run time. Options follow what
// the CRI calls need: field names as written (snake_case), enums as their names, int64 as numbers
// (nanosecond timestamps lose only sub-microsecond precision), defaults filled in.
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { CONTAINER_PROTO } from './container.js';
import { IMAGE_PROTO } from './image.js';
import { SANDBOX_PROTO } from './sandbox.js';
import { SERVICES_PROTO } from './services.js';

export type ServiceClientConstructor = grpc.ServiceClientConstructor;

export interface CriServices {
  RuntimeService: ServiceClientConstructor;
  ImageService: ServiceClientConstructor;
}

let cached: CriServices | undefined;

function isConstructor(v: unknown): v is ServiceClientConstructor {
  return typeof v === 'function' && 'service' in v;
}

/** The CRI v1 service constructors, parsed once per process. */
export function criServices(): CriServices {
  if (cached) return cached;
  const root = new protobuf.Root();
  for (const source of [SERVICES_PROTO, SANDBOX_PROTO, CONTAINER_PROTO, IMAGE_PROTO]) protobuf.parse(source, root, { keepCase: true });
  root.resolveAll();
  const def = fromJSON(root.toJSON(), { keepCase: true, enums: String, longs: Number, defaults: true, arrays: true, objects: true });
  const pkg = grpc.loadPackageDefinition(def);
  const runtimeNs = pkg['runtime'];
  const v1 = runtimeNs && typeof runtimeNs === 'object' && 'v1' in runtimeNs ? (runtimeNs as { v1: Record<string, unknown> }).v1 : undefined;
  const rs = v1?.['RuntimeService'];
  const is = v1?.['ImageService'];
  if (!isConstructor(rs) || !isConstructor(is)) throw new Error('CRI proto: runtime.v1 services missing');
  cached = { RuntimeService: rs, ImageService: is };
  return cached;
}
