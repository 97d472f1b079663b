/** Medians and percentiles for the benches. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function stats(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The nearest-rank `p`th percentile. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * A figure over several runs with its spread: median, quartiles (nearest rank) and range, rounded to `digits`.
 * The benches print it as "median (IQR q1-q3, range min-max)", so a figure near its target is seen as such.
 */
export function spread(values, digits = 3) {
  const round = (v) => +v.toFixed(digits);
  return {
    n: values.length,
    median: round(median(values)),
    q1: round(percentile(values, 25)),
    q3: round(percentile(values, 75)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}
