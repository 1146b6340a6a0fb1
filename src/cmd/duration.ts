// Durations on the command line as Kubernetes components take them: a number with a unit
// (`500ms`, `30s`, `5m`, `1h`, or combined like `1m30s`); a bare `0` means zero.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDurationMs(text: string, flag: string): number {
  const t = text.trim();
  if (t === '0') return 0;
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) throw new Error(`${flag}: ${JSON.stringify(text)} is not a duration (e.g. 30s, 5m, 1m30s, 0)`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * (UNITS[p[2] as string] as number), 0);
}
