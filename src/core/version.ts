/**
 * The version reports carry; a unit test keeps it equal to package.json's.
 * @see [Semantic Versioning 2.0.0](https://semver.org/spec/v2.0.0.html)
 */
export const VERSION = '0.1.0';
