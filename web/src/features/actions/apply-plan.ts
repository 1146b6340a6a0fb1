// Turns the apply editor's text into what to send: one entry per YAML document with its
// resource (from discovery, by apiVersion + kind) and namespace, or the reason it cannot be sent.
// YAML syntax errors carry their line so the editor can mark it.
import { LineCounter, parseAllDocuments } from 'yaml';
import { resourceForKind, type ResourceInfo } from '../../api/discovery.ts';
import type { KubeObject } from '../../api/objects.ts';

export interface PlannedDoc {
  index: number;
  obj: KubeObject;
  info?: ResourceInfo;
  namespace?: string;
  /** Why this document cannot be sent, with a line when known. */
  problem?: { message: string; line?: number };
}

export function planApply(text: string, catalog: readonly ResourceInfo[], defaultNamespace: string): PlannedDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  if (!Array.isArray(docs)) return [];
  const out: PlannedDoc[] = [];
  docs.forEach((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      out.push({ index, obj: {}, problem: { message: `YAML: ${err.message.split('\n')[0] ?? ''}`, line: lc.linePos(err.pos[0]).line } });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document between separators
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ index, obj: {}, problem: { message: 'each document must be a mapping with apiVersion, kind and metadata', line: 1 } });
      return;
    }
    const obj = value as KubeObject;
    if (!obj.apiVersion || !obj.kind) {
      out.push({ index, obj, problem: { message: 'apiVersion and kind are required' } });
      return;
    }
    const info = resourceForKind(catalog, obj.apiVersion, obj.kind);
    if (!info) {
      out.push({ index, obj, problem: { message: `the server does not serve ${obj.kind} in ${obj.apiVersion}` } });
      return;
    }
    const namespace = info.namespaced ? (obj.metadata?.namespace ?? defaultNamespace) : undefined;
    out.push({ index, obj, info, ...(namespace ? { namespace } : {}) });
  });
  return out;
}

/** Built-in kinds take a strategic merge patch; others (custom resources) a JSON merge patch. */
export function patchTypeFor(info: ResourceInfo): string {
  return info.group.includes('.') && !info.group.endsWith('.k8s.io') ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json';
}
