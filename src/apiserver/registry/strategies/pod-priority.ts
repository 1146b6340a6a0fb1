// Priority admission for pods, as Kubernetes' Priority admission plugin does it: on create, a
// pod naming spec.priorityClassName gets that class's value in spec.priority (and its preemption
// policy); a pod naming none gets the cluster's globalDefault class, or priority 0. Naming a class
// that does not exist is Forbidden, and so is a spec.priority that disagrees with the class.
import type { ApiObject } from '../../../api/kind.js';
import { StatusError } from '../../../lib/errors.js';
import type { Registry } from '../registry.js';
import type { WriteContext } from '../strategy.js';

interface ClassLike {
  metadata?: { name?: string; creationTimestamp?: string };
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

interface PodLike {
  metadata?: { name?: string };
  spec?: { priorityClassName?: string; priority?: number; preemptionPolicy?: string };
}

/** Where admission finds PriorityClasses. */
export interface PriorityClassLookup {
  /** The class by name (a consistent read), or undefined. */
  get(name: string): Promise<ApiObject | undefined>;
  /** Every class, for finding the global default (a cached read is fine). */
  list(): ApiObject[];
}

/** A lookup reading the registry's PriorityClass store and watch cache. */
export function priorityClassLookup(registry: Registry): PriorityClassLookup {
  const res = (): ReturnType<Registry['byGroupKind']> => registry.byGroupKind('scheduling.k8s.io', 'PriorityClass');
  return {
    async get(name) {
      return res()
        .reader.get(undefined, name)
        .catch((e: unknown) => {
          if (e instanceof StatusError && e.reason === 'NotFound') return undefined;
          throw e;
        });
    },
    list: () => registry.cache.resource(res().kind).list('').map((o) => o.object),
  };
}

function forbidden(pod: PodLike, why: string): StatusError {
  const name = pod.metadata?.name ?? '';
  return new StatusError('Forbidden', `pods "${name}" is forbidden: ${why}`, { details: { name, kind: 'pods' } });
}

/** The globalDefault class; with several (a race between writers) the oldest, then lowest value. */
function globalDefault(classes: ApiObject[]): ClassLike | undefined {
  const defaults = (classes as ClassLike[]).filter((c) => c.globalDefault === true);
  defaults.sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.value ?? 0) - (b.value ?? 0));
  return defaults[0];
}

/**
 * The pod strategy's `admit` step for priority. Compose it with the pod strategy's own admit:
 * `admit: async (obj, ctx) => { await podPriorityAdmission(lookup)(obj, ctx); await own?.(obj, ctx); }`.
 */
export function podPriorityAdmission(lookup: PriorityClassLookup): (obj: ApiObject, ctx: WriteContext) => Promise<void> {
  return async (obj) => {
    const pod = obj as PodLike & ApiObject;
    const spec = (pod.spec ??= {});
    let cls: ClassLike | undefined;
    if (spec.priorityClassName) {
      cls = (await lookup.get(spec.priorityClassName)) as ClassLike | undefined;
      if (!cls) throw forbidden(pod, `no PriorityClass with name ${spec.priorityClassName} was found`);
      const value = cls.value ?? 0;
      // Pod defaulting leaves spec.priority unset when a class is named, so a value here came
      // from the user.
      if (spec.priority !== undefined && spec.priority !== value)
        throw forbidden(
          pod,
          `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
        );
    } else {
      cls = globalDefault(lookup.list());
      if (cls) spec.priorityClassName = cls.metadata?.name ?? '';
    }
    spec.priority = cls?.value ?? 0;
    const policy = cls?.preemptionPolicy;
    if (policy && spec.preemptionPolicy !== policy) {
      // PreemptLowerPriority is what defaulting fills in, so only a pod asking for Never can
      // have asked for something the class does not allow.
      if (spec.preemptionPolicy === 'Never')
        throw forbidden(
          pod,
          `the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
        );
      spec.preemptionPolicy = policy;
    }
  };
}
