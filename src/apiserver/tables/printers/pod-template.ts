// The columns tables of pod-template owners (deployments, replicasets, daemonsets, jobs,
// cronjobs) end with: AGE, then under -o wide the template's CONTAINERS and IMAGES and the
// SELECTOR of the pods the object manages, each kind formatting its selector as kubectl does.
import { since } from '../duration.js';
import { AGE, CONTAINERS, IMAGES, containerCells, createdOf, type ContainerLike, type WithMeta } from '../columns.js';
import type { Cell, TableColumnDefinition } from '../types.js';

export interface PodTemplate {
  spec?: { containers?: ContainerLike[] };
}

export const templateColumns = (selector: TableColumnDefinition): TableColumnDefinition[] => [AGE, CONTAINERS, IMAGES, selector];

export const templateCells = (obj: WithMeta, now: Date, template: PodTemplate | undefined, selector: string): Cell[] => [
  since(createdOf(obj), now),
  ...containerCells(template?.spec?.containers),
  selector,
];
