export declare function median(values: number[]): number;
export declare function stats(values: number[]): { median: number; min: number; max: number };
export declare function percentile(values: number[], p: number): number;
export declare function spread(
  values: number[],
  digits?: number,
): { n: number; median: number; q1: number; q3: number; min: number; max: number };
