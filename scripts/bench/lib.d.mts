/** Types for the parts of lib.mjs the TypeScript benches (popup.ts) use. */
export declare const ROOT: string;
export declare function median(values: number[]): number;
export declare function stats(values: number[]): { median: number; min: number; max: number };
