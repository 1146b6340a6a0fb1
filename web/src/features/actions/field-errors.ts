// Turns an API error on a document into per-field errors placed on the YAML lines they name.
import { ApiError, describeError } from '../../api/client.ts';
import type { FieldError } from './YamlEditor.tsx';
import { lineOfField } from './yaml-locate.ts';

export function fieldErrors(err: unknown, text: string, docIndex: number): FieldError[] {
  if (err instanceof ApiError && err.causes.length > 0) {
    return err.causes.map((c) => {
      const line = c.field ? lineOfField(text, docIndex, c.field) : undefined;
      return { ...(line !== undefined ? { line } : {}), ...(c.field ? { field: c.field } : {}), message: c.message };
    });
  }
  return [{ message: describeError(err) }];
}
