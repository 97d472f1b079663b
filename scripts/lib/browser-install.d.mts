export interface Machine {
  isRoot: boolean;
  sudo: boolean;
  aptGet: boolean;
}
export type Plan = { kind: 'install'; commands: string[][]; shown: string } | { kind: 'advice'; command: string; why: string };
export type BrowserName = 'chromium' | 'firefox';
export declare const BROWSERS: Record<BrowserName, { name: string; aptPackage: string; env: string; paths: string[] }>;
export declare function probeMachine(): Machine;
export declare function installPlan(browser: BrowserName, machine: Machine): Plan;
export declare function findBrowser(
  browser: BrowserName,
  options?: { env?: Record<string, string | undefined>; exists?: (path: string) => boolean; fallbacks?: string[] },
): string | undefined;
export declare function ensureBrowser(
  browser: BrowserName,
  io: {
    find: () => string | undefined;
    probe?: () => Machine;
    run?: (argv: string[]) => number | null;
    log?: (line: string) => void;
    env?: Record<string, string | undefined>;
  },
): { path: string } | { exit: 1 | 2; message: string };
