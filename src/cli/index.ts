import { isMainThread } from 'node:worker_threads';
import { serveFileWorker } from './file-worker.js';
import { run } from './main.js';
import { useNodeSha256 } from './native-hash.js';

// Fingerprints with node:crypto in every thread (the same digests as the portable SHA-256).
useNodeSha256();

// The same script runs the CLI and, in worker threads, the readers of several files at once.
if (isMainThread) {
  process.exitCode = await run(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: () => process.stdin,
    isTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    workerUrl: new URL(import.meta.url),
  });
} else serveFileWorker();
