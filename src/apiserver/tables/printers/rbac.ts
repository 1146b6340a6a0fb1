// Tables for RBAC bindings: rolebindings and clusterrolebindings show the granted role as
// Kind/name and their age; `-o wide` adds the subjects split into users, groups and
// ServiceAccounts (as namespace/name). Roles and clusterroles use the default NAME / CREATED AT.
import type { ApiObject } from '../../../api/kind.js';
import { since } from '../duration.js';
import { AGE, NAME, column, createdOf, nameOf, view, wide, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';

interface Binding extends WithMeta {
  roleRef?: { kind?: string; name?: string };
  subjects?: { kind?: string; name?: string; namespace?: string }[];
}

function subjects(b: Binding): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const accounts: string[] = [];
  for (const s of b.subjects ?? []) {
    if (s.kind === 'User') users.push(s.name ?? '');
    else if (s.kind === 'Group') groups.push(s.name ?? '');
    else if (s.kind === 'ServiceAccount') accounts.push(`${s.namespace ?? ''}/${s.name ?? ''}`);
  }
  return [users.join(', '), groups.join(', '), accounts.join(', ')];
}

const bindingPrinter: Printer = {
  columns: [
    NAME,
    column('Role', 'string', 'The role granted, as Kind/name.'),
    AGE,
    wide('Users', 'string', 'Users the role is granted to.'),
    wide('Groups', 'string', 'Groups the role is granted to.'),
    wide('ServiceAccounts', 'string', 'ServiceAccounts the role is granted to, as namespace/name.'),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const b = view<Binding>(obj);
    return [nameOf(b), `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, since(createdOf(b), now), ...subjects(b)];
  },
};

export const rolebindings = bindingPrinter;
export const clusterrolebindings = bindingPrinter;
