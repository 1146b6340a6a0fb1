// "Apply YAML": paste one or more manifests; each document is created, or patched if it
// exists. Validation errors from the server are shown at the offending line of the text.
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { useApi } from '../../api/context.tsx';
import { useAppState } from '../../app-context.tsx';
import { detailPath } from '../../lib/links.ts';
import { Link } from '../../router.tsx';
import { applyDoc } from './actions.ts';
import { planApply } from './apply-plan.ts';
import { fieldErrors } from './field-errors.ts';
import { YamlEditor, type FieldError } from './YamlEditor.tsx';

const SAMPLE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: tugboat/test:latest
`;

interface Outcome {
  label: string;
  link?: string;
  result: string;
  ok: boolean;
}

export function ApplyPage() {
  const api = useApi();
  const { catalog, namespace } = useAppState();
  const [text, setText] = useState(SAMPLE);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (): Promise<void> => {
    setBusy(true);
    setErrors([]);
    setOutcomes([]);
    const found: FieldError[] = [];
    const done: Outcome[] = [];
    try {
      await applyAll(found, done);
    } finally {
      setErrors(found);
      setOutcomes(done);
      setBusy(false);
    }
  };

  // Documents go one after another, so a Namespace is created before the objects inside it.
  const applyAll = async (found: FieldError[], done: Outcome[]): Promise<void> => {
    for (const d of planApply(text, catalog, namespace || 'default')) {
      const label = `${d.obj.kind ?? '?'}/${d.obj.metadata?.name ?? d.obj.metadata?.generateName ?? '?'}`;
      if (d.problem || !d.info) {
        found.push({ ...(d.problem?.line !== undefined ? { line: d.problem.line } : {}), message: `${label}: ${d.problem?.message ?? 'unknown kind'}` });
        done.push({ label, result: d.problem?.message ?? 'not sent', ok: false });
        continue;
      }
      try {
        const result = await applyDoc(api, { ...d, info: d.info });
        done.push({ label, result, ok: true, link: detailPath(d.info.token, d.namespace, d.obj.metadata?.name ?? '') });
      } catch (err) {
        found.push(...fieldErrors(err, text, d.index));
        done.push({ label, result: describeError(err), ok: false });
      }
    }
  };

  return (
    <section>
      <h2>Apply YAML</h2>
      <p className="muted small">
        Objects without a namespace go to <code>{namespace || 'default'}</code>. Existing objects are patched with the manifest (fields you remove
        are kept; use Edit on the object to remove them).
      </p>
      <YamlEditor value={text} onChange={setText} errors={errors} testId="apply-editor" />
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void submit()} data-testid="apply-submit">
          {busy ? 'Applying…' : 'Apply'}
        </button>
      </div>
      {outcomes.length > 0 && (
        <ul className="outcomes" data-testid="apply-result">
          {outcomes.map((o, i) => (
            <li key={i} className={o.ok ? 'ok' : 'bad'} data-testid={o.ok ? 'apply-ok' : 'apply-failed'}>
              {o.link ? <Link to={o.link}>{o.label}</Link> : o.label} {o.result}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
