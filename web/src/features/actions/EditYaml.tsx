// Edit an object as YAML and replace it (PUT), like `kubectl edit`: the resourceVersion in the
// text guards against overwriting someone else's change (a 409 says so), and validation
// errors are shown at their lines.
import { useState } from 'react';
import { parse } from 'yaml';
import { useApi } from '../../api/context.tsx';
import type { KubeObject } from '../../api/objects.ts';
import type { ResourceRef } from '../../api/paths.ts';
import { objectYaml } from '../detail/yaml-text.ts';
import { replaceObject } from './actions.ts';
import { fieldErrors } from './field-errors.ts';
import { YamlEditor, type FieldError } from './YamlEditor.tsx';

export function EditYaml({ info, obj, onClose }: { info: ResourceRef; obj: KubeObject; onClose(): void }) {
  const api = useApi();
  const [text, setText] = useState(() => objectYaml(obj));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const save = (): void => {
    let edited: KubeObject;
    try {
      edited = parse(text) as KubeObject;
    } catch (err) {
      setErrors([{ message: `YAML: ${err instanceof Error ? err.message : String(err)}` }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    void replaceObject(api, info, edited)
      .then(onClose)
      .catch((err: unknown) => setErrors(fieldErrors(err, text, 0)))
      .finally(() => setBusy(false));
  };
  return (
    <div>
      <YamlEditor value={text} onChange={setText} errors={errors} testId="edit-editor" rows={30} />
      <div className="row">
        <button type="button" disabled={busy} onClick={save} data-testid="edit-save">
          Save
        </button>
        <button type="button" onClick={onClose} data-testid="edit-cancel">
          Cancel
        </button>
      </div>
    </div>
  );
}
