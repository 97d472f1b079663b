/** Build the test extension once: the release manifest plus host permissions for the test origins. */
import { runBuild } from '../../scripts/lib/project.mjs';
import { TEST_BUILD_ARGS } from './harness.js';

export default function globalSetup(): void {
  const status = runBuild(TEST_BUILD_ARGS);
  if (status !== 0) throw new Error(`the test build failed (exit ${status})`);
}
