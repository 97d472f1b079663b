/** The test apps' browser scripts, bundled in memory by the project's esbuild (the OIDC, MCP, Keycloak and TLS apps). */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const bundles = new Map<string, Promise<string>>();

/**
 * Bundle an app's browser script (an ESM entry importing an SDK from node_modules) with the project's esbuild, once per
 * process: an IIFE for a plain `<script src>`. `entry` is a path or a file: URL (e.g. `new URL('./app.ts', import.meta.url)`).
 */
export function bundleApp(entry: string | URL, define: Record<string, string> = {}): Promise<string> {
  const path = entry instanceof URL ? fileURLToPath(entry) : entry;
  const key = `${path}\n${JSON.stringify(define)}`;
  let made = bundles.get(key);
  if (!made) {
    made = build({
      entryPoints: [path],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis', ...define },
      logLevel: 'silent',
    }).then((result) => {
      const file = result.outputFiles[0];
      if (!file) throw new Error(`esbuild produced nothing for ${path}`);
      return file.text;
    });
    bundles.set(key, made);
  }
  return made;
}
