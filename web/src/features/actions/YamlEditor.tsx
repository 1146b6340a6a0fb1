// A plain YAML editor: a textarea with a line-number gutter that marks the lines the server's
// (or the YAML parser's) errors point at, and lists those errors under the text by line.
import { useRef } from 'react';

export interface FieldError {
  line?: number;
  field?: string;
  message: string;
}

export function YamlEditor(props: { value: string; onChange(v: string): void; errors: readonly FieldError[]; testId: string; rows?: number }) {
  const gutter = useRef<HTMLPreElement>(null);
  const bad = new Set(props.errors.map((e) => e.line).filter((l): l is number => l !== undefined));
  const lines = props.value.split('\n').length;
  return (
    <div className="yaml-editor">
      <div className="editor-body">
        <pre className="gutter" ref={gutter} aria-hidden>
          {Array.from({ length: lines }, (_, i) => (
            <span key={i} className={bad.has(i + 1) ? 'bad' : undefined}>
              {i + 1}
              {'\n'}
            </span>
          ))}
        </pre>
        <textarea
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          spellCheck={false}
          rows={props.rows ?? 24}
          wrap="off"
          data-testid={props.testId}
        />
      </div>
      {props.errors.length > 0 && (
        <ul className="field-errors" data-testid="field-errors">
          {props.errors.map((e, i) => (
            <li key={i} data-testid="field-error" data-field={e.field} data-line={e.line}>
              {e.line !== undefined && <strong>line {e.line}: </strong>}
              {e.field && <code>{e.field}</code>} {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
