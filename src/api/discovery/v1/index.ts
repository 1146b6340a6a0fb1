// The discovery.k8s.io group, version v1: EndpointSlice, which the endpointslice controller
// writes and the proxy and DNS read. Other folders import discovery/v1 only through this file.
import type { KindDef } from '../../kind.js';
import { endpointSliceKind } from './endpointslice.js';

export const discoveryV1Kinds: KindDef[] = [endpointSliceKind];

export { endpointSliceKind };
export { EndpointSlice, Endpoint, EndpointPort, ADDRESS_TYPES } from './endpointslice.js';
