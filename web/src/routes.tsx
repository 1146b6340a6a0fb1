// The route table: URL patterns under /dashboard and the page each renders. Pod tools and
// flows come first so they win over the generic object route.
import type { ReactNode } from 'react';
import type { Params } from './lib/route-match.ts';
import { PodLogs } from './features/logs/PodLogs.tsx';
import { PodExec } from './features/exec/PodExec.tsx';
import { PodFlow } from './features/flow/PodFlow.tsx';
import { DeploymentFlow } from './features/flow/DeploymentFlow.tsx';
import { Overview } from './features/overview/Overview.tsx';
import { ResourceList } from './features/list/ResourceList.tsx';
import { ResourceDetail } from './features/detail/ResourceDetail.tsx';
import { ApplyPage } from './features/actions/ApplyPage.tsx';
import { PodToolFrame } from './features/detail/PodToolFrame.tsx';

export interface Route {
  pattern: string;
  render(p: Params, search: URLSearchParams): ReactNode;
}

const p = (params: Params, k: string): string => params[k] ?? '';

export const routes: readonly Route[] = [
  { pattern: '/dashboard', render: () => <Overview /> },
  { pattern: '/dashboard/apply', render: () => <ApplyPage /> },
  { pattern: '/dashboard/list/:resource', render: (x) => <ResourceList key={p(x, 'resource')} token={p(x, 'resource')} /> },
  {
    pattern: '/dashboard/ns/:ns/pods/:name/logs',
    render: (x) => (
      <PodToolFrame ns={p(x, 'ns')} name={p(x, 'name')} tool="logs">
        <PodLogs ns={p(x, 'ns')} name={p(x, 'name')} />
      </PodToolFrame>
    ),
  },
  {
    pattern: '/dashboard/ns/:ns/pods/:name/exec',
    render: (x) => (
      <PodToolFrame ns={p(x, 'ns')} name={p(x, 'name')} tool="exec">
        <PodExec ns={p(x, 'ns')} name={p(x, 'name')} />
      </PodToolFrame>
    ),
  },
  {
    pattern: '/dashboard/ns/:ns/pods/:name/flow',
    render: (x) => (
      <PodToolFrame ns={p(x, 'ns')} name={p(x, 'name')} tool="flow">
        <PodFlow ns={p(x, 'ns')} name={p(x, 'name')} />
      </PodToolFrame>
    ),
  },
  { pattern: '/dashboard/ns/:ns/deployments/:name/flow', render: (x) => <DeploymentFlow ns={p(x, 'ns')} name={p(x, 'name')} /> },
  { pattern: '/dashboard/ns/:ns/:resource/:name', render: (x) => <ResourceDetail token={p(x, 'resource')} ns={p(x, 'ns')} name={p(x, 'name')} /> },
  { pattern: '/dashboard/cluster/:resource/:name', render: (x) => <ResourceDetail token={p(x, 'resource')} name={p(x, 'name')} /> },
];
