// An object as YAML for viewing and editing, without managedFields (noise nobody edits by hand).
import { stringify } from 'yaml';
import type { KubeObject } from '../../api/objects.ts';

export function objectYaml(obj: KubeObject): string {
  const copy = structuredClone(obj);
  if (copy.metadata) delete copy.metadata.managedFields;
  return stringify(copy, { lineWidth: 0 });
}
