// The published API documents, built once from the kind list on first use and kept as bytes
// with an ETag each: /openapi/v2 (JSON and gnostic protobuf, one ETag for both representations),
// the /openapi/v3 root listing every group version with a content hash in its URL (clients cache
// a group version's document for as long as the hash is unchanged), and one OpenAPI 3 document
// per group version.
import { createHash } from 'node:crypto';
import type { KindDef } from '../../api/kind.js';
import { buildModel, type ApiModel } from './model.js';
import { swaggerDocument, type DocInfo } from './v2.js';
import { openApiV3Documents } from './v3.js';
import { encodeSwagger } from './v2-proto.js';

/** `v2`, `v3` (the root) or a group version path such as `api/v1` or `apis/apps/v1`. */
export type OpenApiDocName = 'v2' | 'v3' | `api/${string}` | `apis/${string}`;

export interface OpenApiDocsOptions {
  /** Published as `info.version`, e.g. `v1.32.0`. */
  version?: string;
}

interface Built {
  bytes: Buffer;
  hash: string;
}

const built = (text: string): Built => {
  const bytes = Buffer.from(text, 'utf8');
  return { bytes, hash: createHash('sha512').update(bytes).digest('hex').toUpperCase() };
};

export class OpenApiDocs {
  private readonly info: DocInfo;
  private model: ApiModel | undefined;
  private v2: { doc: Record<string, unknown>; json: Built } | undefined;
  private v2Proto: Buffer | undefined;
  private v3: Map<string, Built> | undefined;
  private root: Built | undefined;

  constructor(
    private readonly kinds: readonly KindDef[],
    opts: OpenApiDocsOptions = {},
  ) {
    this.info = { title: 'Kubernetes', version: opts.version ?? 'v1.32.0' };
  }

  /** Group version paths with a v3 document: `api/v1`, `apis/apps/v1`, ... */
  groupVersions(): readonly string[] {
    return this.getModel().groupVersions;
  }

  v2Json(): Buffer {
    return this.getV2().json.bytes;
  }

  v2Protobuf(): Buffer {
    this.v2Proto ??= encodeSwagger(this.getV2().doc);
    return this.v2Proto;
  }

  v3Root(): Buffer {
    return this.getRoot().bytes;
  }

  v3GroupVersion(gvPath: string): Buffer | undefined {
    return this.getV3().get(gvPath.replace(/^\/+|\/+$/g, ''))?.bytes;
  }

  /** A strong ETag (quoted) for a document; undefined for a group version we do not serve. */
  etag(doc: OpenApiDocName): string | undefined {
    const b = doc === 'v2' ? this.getV2().json : doc === 'v3' ? this.getRoot() : this.getV3().get(doc);
    return b ? `"${b.hash}"` : undefined;
  }

  private getModel(): ApiModel {
    this.model ??= buildModel(this.kinds);
    return this.model;
  }

  private getV2(): { doc: Record<string, unknown>; json: Built } {
    if (!this.v2) {
      const doc = swaggerDocument(this.getModel(), this.info);
      this.v2 = { doc, json: built(JSON.stringify(doc)) };
    }
    return this.v2;
  }

  private getV3(): Map<string, Built> {
    if (!this.v3) {
      this.v3 = new Map();
      for (const [gv, doc] of openApiV3Documents(this.getModel(), this.info)) this.v3.set(gv, built(JSON.stringify(doc)));
    }
    return this.v3;
  }

  private getRoot(): Built {
    if (!this.root) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const [gv, b] of this.getV3()) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${b.hash}` };
      this.root = built(JSON.stringify({ paths }));
    }
    return this.root;
  }
}
