// State every page shares once signed in: the discovery catalogue and the selected namespace
// ('' means all namespaces).
import { createContext, useContext } from 'react';
import type { ResourceInfo } from './api/discovery.ts';

export interface AppState {
  catalog: ResourceInfo[];
  namespace: string;
  setNamespace(ns: string): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useAppState() outside the signed-in app');
  return s;
}
