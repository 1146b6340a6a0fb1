// Resource quantities ("500m", "1Gi", "2e3", "1.5"): parsing for validation and arithmetic, and
// formatting a number back into the shortest Kubernetes-style string. Stored objects hold the
// canonical form Kubernetes stores (0.5 → 500m, 1024Mi → 1Gi), so `kubectl get -o yaml` shows
// what it would show against Kubernetes.

export interface Quantity {
  /** The amount in base units (cores, bytes, ...); fractional for milli-units. */
  value: number;
}

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

// The alternation order matters: a bare `E` is exa, `E3` is an exponent, so the exponent form
// is tried after the SI letters fail to reach the end of the string.
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** The pattern Kubernetes quotes in its error message for an unparsable quantity. */
export const QUANTITY_PATTERN = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/** Parses a quantity; undefined when the text is not one. */
export function parseQuantity(s: string | number): Quantity | undefined {
  if (typeof s === 'number') return Number.isFinite(s) ? { value: s } : undefined;
  const m = QUANTITY.exec(s);
  if (!m) return undefined;
  const [, sign, digits, suffix = ''] = m as unknown as [string, string, string, string | undefined];
  const mantissa = Number(digits) * (sign === '-' ? -1 : 1);
  let value: number;
  if (suffix in BINARY) value = mantissa * (BINARY[suffix] as number);
  else if (suffix in DECIMAL) value = scale(mantissa, DECIMAL[suffix] as number);
  else value = scale(mantissa, Number(suffix.slice(1)));
  return Number.isFinite(value) ? { value } : undefined;
}

// Dividing by a power of ten is exact more often than multiplying by its reciprocal (0.1 is not
// representable), which keeps "100m" equal to 0.1 rather than 0.10000000000000002.
function scale(mantissa: number, exp: number): number {
  return exp >= 0 ? mantissa * 10 ** exp : mantissa / 10 ** -exp;
}

const closeToInteger = (x: number): boolean => Math.abs(x - Math.round(x)) <= 1e-9 * Math.max(1, Math.abs(x));

export interface FormatOptions {
  /** `BinarySI` prefers Ki/Mi/Gi when the value is an exact multiple; default `DecimalSI`. */
  format?: 'BinarySI' | 'DecimalSI';
}

/** The canonical text for a number: the largest suffix that leaves an integer, e.g. 0.5 → "500m". */
export function formatQuantity(value: number, opts: FormatOptions = {}): string {
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (opts.format === 'BinarySI' && Number.isInteger(abs) && abs >= 1024) {
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const unit = BINARY[suffix] as number;
      if (abs % unit === 0) return `${sign}${abs / unit}${suffix}`;
    }
  }
  for (const [suffix, exp] of Object.entries(DECIMAL).sort((a, b) => b[1] - a[1])) {
    const mantissa = scale(abs, -exp);
    if (exp > 0 && !Number.isInteger(abs)) continue;
    if (closeToInteger(mantissa) && Math.round(mantissa) !== 0) {
      return `${sign}${Math.round(mantissa)}${suffix}`;
    }
  }
  // Finer than a nano-unit: Kubernetes rounds up to the smallest unit it can hold.
  return `${sign}${Math.ceil(abs * 1e9)}n`;
}

/**
 * The canonical form Kubernetes stores a quantity in: same family of suffix as written (binary
 * `Ki`.. stays binary, decimal stays decimal), largest suffix that keeps the number whole —
 * `0.5` → `500m`, `1024Mi` → `1Gi`, `1000m` → `1`, `1.5Gi` → `1536Mi`. Exponent forms (`1e3`)
 * and anything unparsable are kept as written.
 */
export function normalizeQuantity(q: string | number): string {
  if (typeof q === 'number') return formatQuantity(q);
  const m = QUANTITY.exec(q);
  const parsed = parseQuantity(q);
  if (!m || !parsed) return q;
  const suffix = m[3] ?? '';
  if (/^[eE]/.test(suffix)) return q;
  if (suffix in BINARY && Number.isInteger(parsed.value)) return formatQuantity(parsed.value, { format: 'BinarySI' });
  return formatQuantity(parsed.value);
}

/** `a < b`, `a == b`, `a > b` as -1, 0, 1, tolerant of floating-point noise from suffix maths. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const diff = a.value - b.value;
  if (Math.abs(diff) <= 1e-12 * Math.max(1, Math.abs(a.value), Math.abs(b.value))) return 0;
  return diff < 0 ? -1 : 1;
}
