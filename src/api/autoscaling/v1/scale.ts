// autoscaling/v1 Scale: the body of the `/scale` subresource of Deployments, ReplicaSets and
// StatefulSets (and of custom resources that declare one). It is not a stored kind; the
// apiserver builds it from the parent object's replica fields and writes replicas back.
import { obj, str, int32, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';

const P = 'io.k8s.api.autoscaling.v1';

export const ScaleSpec = obj(
  'The desired size of the scaled object.',
  { replicas: int32('Desired number of replicas.') },
  { id: `${P}.ScaleSpec` },
);

export const ScaleStatus = obj(
  'The observed size of the scaled object.',
  {
    replicas: int32('Number of replicas that currently exist.'),
    selector: str('Label query (in string form) for the pods counted in replicas; autoscalers use it to find them.'),
  },
  { id: `${P}.ScaleStatus`, required: ['replicas'] },
);

export const Scale = obj(
  'The replica count of a scalable object, read and written through its /scale subresource.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: ScaleSpec,
    status: ScaleStatus,
  },
  { id: `${P}.Scale`, ...describeKind('autoscaling', 'v1', 'Scale') },
);
export type Scale = Static<typeof Scale>;
