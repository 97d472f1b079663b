export declare function median(values: number[]): number;
export declare function stats(values: number[]): { median: number; min: number; max: number };
export declare function percentile(values: number[], p: number): number;
