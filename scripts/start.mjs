#!/usr/bin/env node
/**
 * `npm start`: build the extension into extension/ and say how to load it.
 * (The one-command demo with a sign-in server and Chromium builds on this.)
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
console.log(`
Tokenscope is built into ${join(root, 'extension')}

Load it into Chromium, Chrome or Edge:
  1. open chrome://extensions (edge://extensions), turn on "Developer mode";
  2. "Load unpacked" and choose the folder above.
Load it into Firefox: about:debugging#/runtime/this-firefox, "Load Temporary Add-on…",
  and choose extension/manifest.json.

Then open your app, click the Tokenscope icon and "Watch this site".

The CLI reads HAR files and token responses:
  npm run --silent tokenscope -- analyze path/to/capture.har
`);
