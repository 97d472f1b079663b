export declare const ROOT: string;
export declare function packageVersion(): string;
export declare function shown(path: string): string;
export declare function newestMtime(path: string): number;
export declare function runBuild(args?: string[], options?: { release?: boolean }): number | null;
