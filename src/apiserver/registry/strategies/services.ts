// Services: a ClusterIP is allocated from the service CIDR on create (unless headless or
// ExternalName), NodePorts from 30000-32767 for NodePort and LoadBalancer services, and both are
// kept across updates that leave them out (so `kubectl replace` of a manifest without clusterIP
// works, as on Kubernetes).
import type { ApiObject } from '../../../api/kind.js';
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
  };
}

const needsNodePorts = (t: string | undefined): boolean => t === 'NodePort' || t === 'LoadBalancer';

function fail(svc: ServiceLike, errs: FieldError[]): never {
  throw invalidError({ kind: 'Service', group: '', name: svc.metadata?.name ?? '' }, errs);
}

export function serviceStrategy(alloc: ServiceAllocator): Strategy {
  const assign = (svc: ServiceLike, old: ServiceLike | undefined): void => {
    const spec = (svc.spec ??= {});
    const type = spec.type ?? 'ClusterIP';
    if (type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
      return;
    }
    if (!spec.clusterIP && old?.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if (!spec.clusterIP) {
      spec.clusterIP = alloc.allocateIP();
    } else if (spec.clusterIP !== 'None' && spec.clusterIP !== old?.spec?.clusterIP) {
      const why = alloc.reserveIP(spec.clusterIP);
      if (why) fail(svc, [invalid('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: ${why}`)]);
    }
    spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    if (!needsNodePorts(type)) {
      for (const p of spec.ports ?? []) delete p.nodePort;
      return;
    }
    const before = new Map((old?.spec?.ports ?? []).map((p) => [`${p.port}/${p.protocol ?? 'TCP'}`, p.nodePort]));
    (spec.ports ?? []).forEach((p, i) => {
      const kept = before.get(`${p.port}/${p.protocol ?? 'TCP'}`);
      if (p.nodePort === undefined && kept !== undefined) p.nodePort = kept;
      if (p.nodePort === undefined) p.nodePort = alloc.allocatePort();
      else if (p.nodePort !== kept) {
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
      assign(obj as ServiceLike, old as ServiceLike);
    },
  };
}
