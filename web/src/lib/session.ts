// What the dashboard keeps in the browser: the bearer token and the chosen namespace, in
// sessionStorage only, so closing the tab forgets the token.
const TOKEN = 'tugboat.token';
const NAMESPACE = 'tugboat.namespace';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN),
  setToken: (t: string): void => sessionStorage.setItem(TOKEN, t),
  clearToken: (): void => sessionStorage.removeItem(TOKEN),
  namespace: (): string => sessionStorage.getItem(NAMESPACE) ?? '',
  setNamespace: (ns: string): void => sessionStorage.setItem(NAMESPACE, ns),
};
