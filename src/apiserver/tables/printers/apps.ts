// Tables for apps/v1 workloads: deployments (READY as ready/desired), replicasets, statefulsets,
// daemonsets and controllerrevisions. With -o wide they add the template's containers and images
// and the selector.
import type { ApiObject } from '../../../api/kind.js';
import { formatLabelSelector, formatLabels, labelSelectorAsSelector, type LabelSelectorObject } from '../../../lib/selectors/index.js';
import { since } from '../duration.js';
import { AGE, CONTAINERS, IMAGES, NAME, column, containerCells, createdOf, nameOf, view, wide, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';
import { templateCells, templateColumns, type PodTemplate } from './pod-template.js';

interface NodePodTemplate extends PodTemplate {
  spec?: PodTemplate['spec'] & { nodeSelector?: Record<string, string> };
}

interface Workload extends WithMeta {
  spec?: { replicas?: number; selector?: LabelSelectorObject; template?: NodePodTemplate };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

/** spec.replicas defaults to 1 for these kinds. */
const desired = (w: Workload): number => w.spec?.replicas ?? 1;

const SELECTOR = wide('Selector', 'string', 'Label selector of the pods this object manages.');

function selectorString(sel: LabelSelectorObject | undefined): string {
  try {
    return labelSelectorAsSelector(sel).toString();
  } catch {
    return '<invalid>';
  }
}

export const deployments: Printer = {
  columns: [
    NAME,
    column('Ready', 'string', 'Ready pods out of the desired number.'),
    column('Up-to-date', 'string', 'Pods running the latest pod template.'),
    column('Available', 'string', 'Pods ready for at least minReadySeconds.'),
    ...templateColumns(SELECTOR),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const d = view<Workload>(obj);
    const st = d.status ?? {};
    return [
      nameOf(d),
      `${st.readyReplicas ?? 0}/${desired(d)}`,
      st.updatedReplicas ?? 0,
      st.availableReplicas ?? 0,
      ...templateCells(d, now, d.spec?.template, selectorString(d.spec?.selector)),
    ];
  },
};

export const replicasets: Printer = {
  columns: [
    NAME,
    column('Desired', 'integer', 'Number of pods wanted.'),
    column('Current', 'integer', 'Number of pods that exist.'),
    column('Ready', 'integer', 'Number of pods that are ready.'),
    ...templateColumns(SELECTOR),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const rs = view<Workload>(obj);
    return [
      nameOf(rs),
      desired(rs),
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      ...templateCells(rs, now, rs.spec?.template, formatLabelSelector(rs.spec?.selector)),
    ];
  },
};

export const statefulsets: Printer = {
  columns: [NAME, column('Ready', 'string', 'Ready pods out of the desired number.'), AGE, CONTAINERS, IMAGES],
  cells(obj: ApiObject, now: Date): Cell[] {
    const s = view<Workload>(obj);
    return [
      nameOf(s),
      `${s.status?.readyReplicas ?? 0}/${desired(s)}`,
      since(createdOf(s), now),
      ...containerCells(s.spec?.template?.spec?.containers),
    ];
  },
};

export const daemonsets: Printer = {
  columns: [
    NAME,
    column('Desired', 'integer', 'Number of nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Number of nodes running at least one daemon pod.'),
    column('Ready', 'integer', 'Number of nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Number of nodes running the latest pod template.'),
    column('Available', 'integer', 'Number of nodes whose daemon pod has been ready for minReadySeconds.'),
    column('Node Selector', 'string', 'Node labels the pod template requires.'),
    ...templateColumns(SELECTOR),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const ds = view<Workload>(obj);
    const st = ds.status ?? {};
    return [
      nameOf(ds),
      st.desiredNumberScheduled ?? 0,
      st.currentNumberScheduled ?? 0,
      st.numberReady ?? 0,
      st.updatedNumberScheduled ?? 0,
      st.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ...templateCells(ds, now, ds.spec?.template, formatLabelSelector(ds.spec?.selector)),
    ];
  },
};

interface ControllerRevision extends WithMeta {
  revision?: number;
}

/** `kind.group/name` of the controlling owner in lower case, e.g. `statefulset.apps/web`. */
function controllerOf(obj: WithMeta): string {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
  const kind = group ? `${ref.kind}.${group}` : ref.kind;
  return kind ? `${kind.toLowerCase()}/${ref.name}` : ref.name;
}

export const controllerrevisions: Printer = {
  columns: [
    NAME,
    column('Controller', 'string', 'The object that owns this revision.'),
    column('Revision', 'string', 'Revision number of the stored state.'),
    AGE,
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const cr = view<ControllerRevision>(obj);
    return [nameOf(cr), controllerOf(cr), cr.revision ?? 0, since(createdOf(cr), now)];
  },
};
