// Services: a ClusterIP is allocated from the service CIDR on create (unless headless or
// ExternalName), NodePorts from 30000-32767 for NodePort and LoadBalancer services (unless
// `allocateLoadBalancerNodePorts: false`). On update, `prepareServiceUpdate` (api/core/v1) first
// carries over what the server allocated when the request leaves it out (so `kubectl replace` of a
// manifest without clusterIP works) and drops what the new type cannot have when the request left
// it unchanged (NodePort → ClusterIP loses its nodePorts and externalTrafficPolicy, → ExternalName
// its cluster IP), as Kubernetes does; then whatever the new type still lacks is allocated. A
// cluster IP never changes once set. Addresses and ports nobody holds any more are free again,
// since the allocator reads what is taken from the stored Services.
import type { ApiObject } from '../../../api/kind.js';
import { prepareServiceUpdate, type Service } from '../../../api/core/v1/index.js';
import { invalidError, invalid, type FieldError } from '../../../lib/field-errors.js';
import type { Strategy } from '../strategy.js';
import type { ServiceAllocator } from './service-allocator.js';

interface Port {
  port?: number;
  protocol?: string;
  nodePort?: number;
}
interface ServiceLike extends ApiObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    ipFamilies?: string[];
    ports?: Port[];
    externalTrafficPolicy?: string;
    allocateLoadBalancerNodePorts?: boolean;
  };
}

const allocatesNodePorts = (spec: NonNullable<ServiceLike['spec']>): boolean =>
  spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);

function fail(svc: ServiceLike, errs: FieldError[]): never {
  throw invalidError({ kind: 'Service', group: '', name: svc.metadata?.name ?? '' }, errs);
}

export function serviceStrategy(alloc: ServiceAllocator): Strategy {
  const assign = (svc: ServiceLike, old: ServiceLike | undefined): void => {
    const spec = (svc.spec ??= {});
    if ((spec.type ?? 'ClusterIP') === 'ExternalName') return;
    const had = old?.spec?.type !== 'ExternalName' ? old?.spec?.clusterIP : undefined;
    if (had && spec.clusterIP && spec.clusterIP !== had) fail(svc, [invalid('spec.clusterIPs[0]', [spec.clusterIP], 'may not change once set')]);
    if (!spec.clusterIP) {
      spec.clusterIP = alloc.allocateIP();
    } else if (spec.clusterIP !== 'None' && spec.clusterIP !== had) {
      const why = alloc.reserveIP(spec.clusterIP);
      if (why) fail(svc, [invalid('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: ${why}`)]);
    }
    spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    // A nodePort on a type that has none is left for validation to refuse, as Kubernetes does.
    if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
    const before = new Set((old?.spec?.ports ?? []).map((p) => p.nodePort).filter((n) => n !== undefined));
    (spec.ports ?? []).forEach((p, i) => {
      if (p.nodePort === undefined) {
        if (allocatesNodePorts(spec)) p.nodePort = alloc.allocatePort();
      } else if (!before.has(p.nodePort)) {
        const why = alloc.reservePort(p.nodePort);
        if (why) fail(svc, [invalid(`spec.ports[${i}].nodePort`, p.nodePort, why)]);
      }
    });
  };
  return {
    tracksGeneration: false,
    allowCreateOnUpdate: false,
    prepareForCreate(obj) {
      assign(obj as ServiceLike, undefined);
      obj.status = { loadBalancer: {} };
    },
    prepareForUpdate(obj, old) {
      prepareServiceUpdate(obj as Service, old as Service);
      assign(obj as ServiceLike, old as ServiceLike);
      const now = (obj as ServiceLike).spec;
      const was = (old as ServiceLike).spec;
      const ports = new Set((now?.ports ?? []).map((p) => p.nodePort));
      alloc.release({
        ips: was?.clusterIP && was.clusterIP !== now?.clusterIP ? [was.clusterIP] : [],
        ports: (was?.ports ?? []).flatMap((p) => (p.nodePort !== undefined && !ports.has(p.nodePort) ? [p.nodePort] : [])),
      });
    },
  };
}
