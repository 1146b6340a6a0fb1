// Kind references of discovery.k8s.io/v1, without schemas: names and scope, what a
// client needs to address these kinds. The schema modules build their full definitions on these.
import { kindRef } from '../kind.js';

export const endpointSliceKind = kindRef({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
});
