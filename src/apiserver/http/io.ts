// Request and response plumbing shared by every handler: reading a bounded body (3 MiB, as
// Kubernetes limits), decoding JSON, YAML or Kubernetes protobuf, writing JSON with the right
// headers, sending a Kubernetes Status for any error, and `Warning` headers for field-validation
// warnings.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TSchema } from '@sinclair/typebox';
import { badRequest, StatusError, toStatusError, type Status } from '../../lib/errors.js';
import { decodeProtobufBody, PROTOBUF_MEDIA_TYPE } from '../protobuf/index.js';
import { yaml } from '../lazy-modules.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new StatusError('RequestEntityTooLarge', `the request body is too large: limit is ${MAX_BODY_BYTES} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw new StatusError('RequestEntityTooLarge', `the request body is too large: limit is ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const JSON_TYPES = new Set(['application/json', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);

export interface BodyMedia {
  contentType: string | undefined;
  /**
   * The type the body holds. Protobuf carries no field names, so it can only be decoded against
   * a schema; without one (patches) protobuf is a 415 like any unknown format.
   */
  schema?: TSchema;
}

/**
 * Parses a body as JSON, YAML or Kubernetes protobuf, as the client says; a 400 that says where it
 * broke otherwise. Other media types are a 415, so the client learns the format is the problem
 * rather than reading a JSON syntax error about binary bytes.
 */
export function parseBody(raw: Buffer, media: BodyMedia): unknown {
  const type = (media.contentType || 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  const protobufSchema = type === PROTOBUF_MEDIA_TYPE ? media.schema : undefined;
  if (!JSON_TYPES.has(type) && type !== 'application/yaml' && type !== 'application/apply-patch+yaml' && !protobufSchema)
    throw new StatusError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format (${type}) - accepted media types include: application/json, application/yaml${media.schema ? `, ${PROTOBUF_MEDIA_TYPE}` : ''}`,
    );
  if (raw.length === 0) throw badRequest('the request body is empty');
  // Unknown protobuf fields are dropped whatever fieldValidation says, as Kubernetes does.
  if (protobufSchema) return decodeProtobufBody(raw, protobufSchema).object;
  const text = raw.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      return yaml().parse(text) as unknown;
    } catch (err) {
      throw badRequest(`error decoding YAML: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`error decoding JSON: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

export function sendJson(res: ServerResponse, code: number, body: string | object, warnings: readonly string[] = []): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const status: Status = toStatusError(err).toStatus();
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status.code, status);
}

export function successStatus(details: { name: string; group: string; kind: string; uid?: string }): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

/** Query parameters as a plain map (last value wins, as Kubernetes reads them). */
export function queryOf(url: URL): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of url.searchParams) q[k] = v;
  return q;
}

export function boolParam(v: string | undefined): boolean {
  return v === 'true' || v === '1';
}

export function intParam(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return n;
}
