// Data plugins compute once per scheduling attempt (in PreFilter or PreScore) and read for every
// node (in Filter and Score), stored under typed keys so each plugin gets back exactly the type
// it wrote. Preemption clones the state to try removing pods from one node without disturbing
// the attempt's own view, so stored data knows how to clone itself.
export interface StateData {
  clone(): StateData;
}

/** A typed slot in the cycle state; create one per plugin datum, at module level. */
export class StateKey<T extends StateData> {
  /** Phantom field so keys of different types are not interchangeable. */
  declare readonly _type: T;
  constructor(readonly name: string) {}
}

export class CycleState {
  private readonly data = new Map<StateKey<StateData>, StateData>();

  read<T extends StateData>(key: StateKey<T>): T | undefined {
    return this.data.get(key as StateKey<StateData>) as T | undefined;
  }

  write<T extends StateData>(key: StateKey<T>, value: T): void {
    this.data.set(key as StateKey<StateData>, value);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    return c;
  }
}

/** State that never changes after PreFilter can share itself instead of copying. */
export const immutableState = <T extends object>(value: T): T & StateData => Object.assign(value, { clone: () => value as T & StateData });
