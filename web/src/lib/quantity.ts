// Kubernetes resource quantities ("250m", "1.5", "128Mi", "2G", "1e3") as plain numbers in base
// units (cores, bytes), and back to short text for display.

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The quantity's value, or 0 for anything unparsable (a display helper must not throw). */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return 0;
  const mult = SUFFIX[m[2] ?? ''];
  return mult === undefined ? 0 : Number(m[1]) * mult;
}

export function formatCpu(cores: number): string {
  if (cores === 0) return '0';
  return cores < 1 || !Number.isInteger(cores) ? `${Math.round(cores * 1000)}m` : String(cores);
}

export function formatBytes(b: number): string {
  const units: [string, number][] = [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [u, n] of units) if (b >= n) return `${Number((b / n).toFixed(1))}${u}`;
  return String(Math.round(b));
}
