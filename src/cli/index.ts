import { readFileSync } from 'node:fs';
import { run } from './main.js';

const status = run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0, 'utf8'),
  isTty: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
});
process.exitCode = status;
