// The least-squares line through a soak's memory samples, with what tells a slope from the samples' swing: the
// slope's standard error, the residuals' standard deviation and the range (service-soak.ts).

export interface MemoryFit {
  /** Bytes per 1,000 runs. */
  slope: number;
  /** The slope's standard error, bytes per 1,000 runs (NaN under three samples). */
  slopeError: number;
  /** The samples' standard deviation about the line, bytes. */
  residual: number;
  min: number;
  max: number;
}

export function fitMemory(points: ReadonlyArray<{ runs: number; value: number }>): MemoryFit {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.runs, 0) / n;
  const my = points.reduce((a, p) => a + p.value, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.runs - mx) * (p.value - my), 0);
  const sxx = points.reduce((a, p) => a + (p.runs - mx) ** 2, 0);
  const b = sxy / sxx;
  const ssr = points.reduce((a, p) => a + (p.value - my - b * (p.runs - mx)) ** 2, 0);
  const residual = n > 2 ? Math.sqrt(ssr / (n - 2)) : NaN;
  const values = points.map((p) => p.value);
  return { slope: b * 1000, slopeError: (residual / Math.sqrt(sxx)) * 1000, residual, min: Math.min(...values), max: Math.max(...values) };
}
