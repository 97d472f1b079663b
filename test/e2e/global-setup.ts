/** Build the test extension once: the release manifest plus host permissions for the test origins. */
export { buildTestExtension as default } from '../support/harness.js';
