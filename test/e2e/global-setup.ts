/** Build the test extension once: the release manifest plus host permissions for the test origins. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TEST_EXTENSION_DIR, TEST_HOSTS } from './harness.js';

export default function globalSetup(): void {
  const root = join(import.meta.dirname, '../..');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--test-hosts', TEST_HOSTS.join(','), '--out-dir', TEST_EXTENSION_DIR], { cwd: root, stdio: 'inherit' });
}
