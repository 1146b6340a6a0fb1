// Request bodies that are not API objects of a served kind but that client-go's typed clients send
// as protobuf all the same: DeleteOptions (any DELETE with a body, e.g. a controller deleting with
// a uid precondition) and Binding (the scheduler's POST to pods/binding). Each names the schema
// the decoder reads it against; their field numbers are in fields/meta.ts and fields/core-pods.ts.
import { ObjectMeta, typeMeta } from '../../api/meta/v1.js';
import { ObjectReference } from '../../api/core/v1/index.js';
import { obj } from '../../api/schema.js';

export { DeleteOptions } from '../openapi/meta-schemas.js';

/** core/v1 Binding: the node a pod is bound to (`target`), and the pod's metadata. */
export const Binding = obj(
  'Binds a pod to a node.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    target: ObjectReference,
  },
  { id: 'io.k8s.api.core.v1.Binding' },
);
