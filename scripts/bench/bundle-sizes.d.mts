export interface BuiltFile {
  bytes: number;
  gzip: number;
  imports: string[];
  lazy: string[];
}
export declare function builtFiles(): { file(path: string): BuiltFile; closure(path: string): Set<string> };
