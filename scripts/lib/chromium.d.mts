export declare function chromiumPath(fallbacks?: string[]): string;
