// Dashboard URLs for lists and objects, so every page links the same way.
export const BASE = '/dashboard';

export const listPath = (token: string): string => `${BASE}/list/${token}`;

export function detailPath(token: string, ns: string | undefined, name: string): string {
  return ns ? `${BASE}/ns/${encodeURIComponent(ns)}/${token}/${encodeURIComponent(name)}` : `${BASE}/cluster/${token}/${encodeURIComponent(name)}`;
}

export const podToolPath = (ns: string, name: string, tool: 'logs' | 'exec' | 'flow'): string =>
  `${BASE}/ns/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/${tool}`;

export const deploymentFlowPath = (ns: string, name: string): string => `${BASE}/ns/${encodeURIComponent(ns)}/deployments/${encodeURIComponent(name)}/flow`;
