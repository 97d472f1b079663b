/** Shape checks for parsed JSON and other untrusted values. A leaf module: it imports nothing. */

/** A parsed JSON object: field names to values not yet checked. */
export type JsonObject = Record<string, unknown>;

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The trimmed string, or null when the value is not a string or is blank. */
export function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
