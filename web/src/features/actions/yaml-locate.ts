// Maps a Kubernetes field path from a validation error ("spec.template.spec.containers[0].image")
// to the line of the YAML the user typed, so the error can be shown at that field. When the field
// itself is absent (a required field left out) the nearest present parent's line is used.
import { LineCounter, parseAllDocuments, isNode } from 'yaml';

export function fieldSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\[([^\]]*)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

/** 1-based line of `field` in document `docIndex` of `text`, or undefined. */
export function lineOfField(text: string, docIndex: number, field: string): number | undefined {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  const doc = Array.isArray(docs) ? docs[docIndex] : undefined;
  if (!doc) return undefined;
  const segs = fieldSegments(field);
  for (let n = segs.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segs.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}
