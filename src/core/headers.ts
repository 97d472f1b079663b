/** HTTP header helpers shared by every capture source. A leaf module: it imports nothing. */

/**
 * The one `Authorization` value Tokenscope keeps from a request: Basic client authentication
 * (RFC 6749 s2.3.1), from which the client id is read and the secret fingerprinted. Bearer
 * and every other scheme give null: those are tokens, never stored.
 */
export function basicAuthorization(value: string | null | undefined): string | null {
  return value && /^Basic\s/i.test(value) ? value : null;
}

/** A header's value from a `[{ name, value }]` list (HAR, webRequest), matched without case; null if absent. */
export function headerValue(headers: unknown, name: string): string | null {
  if (!Array.isArray(headers)) return null;
  const wanted = name.toLowerCase();
  for (const header of headers) {
    if (typeof header !== 'object' || header === null) continue;
    const { name: key, value } = header as { name?: unknown; value?: unknown };
    if (typeof key === 'string' && key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return null;
}
