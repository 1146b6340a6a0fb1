// Tables for the simple core kinds, whose columns are counts or single fields: namespaces
// (STATUS), configmaps (DATA), secrets (TYPE, DATA), serviceaccounts (SECRETS) and, from
// coordination.k8s.io, leases (HOLDER).
import type { ApiObject } from '../../../api/kind.js';
import { since } from '../duration.js';
import { AGE, NAME, column, createdOf, nameOf, view, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';

const count = (m: Record<string, unknown> | unknown[] | undefined | null): number =>
  m ? (Array.isArray(m) ? m.length : Object.keys(m).length) : 0;

interface Namespace extends WithMeta {
  status?: { phase?: string };
}

export const namespaces: Printer = {
  columns: [NAME, column('Status', 'string', 'Phase of the namespace: Active or Terminating.'), AGE],
  cells(obj: ApiObject, now: Date): Cell[] {
    const ns = view<Namespace>(obj);
    return [nameOf(ns), ns.status?.phase ?? '', since(createdOf(ns), now)];
  },
};

interface ConfigMap extends WithMeta {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

export const configmaps: Printer = {
  columns: [NAME, column('Data', 'string', 'Number of keys in data and binaryData together.'), AGE],
  cells(obj: ApiObject, now: Date): Cell[] {
    const cm = view<ConfigMap>(obj);
    return [nameOf(cm), count(cm.data) + count(cm.binaryData), since(createdOf(cm), now)];
  },
};

interface Secret extends WithMeta {
  type?: string;
  data?: Record<string, string>;
}

export const secrets: Printer = {
  columns: [
    NAME,
    column('Type', 'string', 'What the secret holds, e.g. Opaque or kubernetes.io/tls.'),
    column('Data', 'string', 'Number of keys in data.'),
    AGE,
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const s = view<Secret>(obj);
    return [nameOf(s), s.type ?? '', count(s.data), since(createdOf(s), now)];
  },
};

interface ServiceAccount extends WithMeta {
  secrets?: unknown[];
}

export const serviceaccounts: Printer = {
  columns: [NAME, column('Secrets', 'string', 'Number of secrets listed on the service account.'), AGE],
  cells(obj: ApiObject, now: Date): Cell[] {
    const sa = view<ServiceAccount>(obj);
    return [nameOf(sa), count(sa.secrets), since(createdOf(sa), now)];
  },
};

interface Lease extends WithMeta {
  spec?: { holderIdentity?: string };
}

export const leases: Printer = {
  columns: [NAME, column('Holder', 'string', 'Identity of the current holder of the lease.'), AGE],
  cells(obj: ApiObject, now: Date): Cell[] {
    const l = view<Lease>(obj);
    return [nameOf(l), l.spec?.holderIdentity ?? '', since(createdOf(l), now)];
  },
};
