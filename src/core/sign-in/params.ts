/** The parameters of a front-channel URL (query and fragment) or a form body, every value of each kept in order. */
import { boundValue } from '../bounded.js';
import { formPairs } from '../form.js';
import { MAX_BODY_CHARS } from '../limits.js';

export type Params = Map<string, string[]>;

/** Parameters of `application/x-www-form-urlencoded` text (a query, a fragment, a PAR or form_post body). */
export function formParams(text: string): Params {
  const params: Params = new Map();
  if (text.length > MAX_BODY_CHARS) return params;
  for (const [key, value] of formPairs(text)) params.set(key, [...(params.get(key) ?? []), value]);
  return params;
}

/** The URL parsed, or null: capture sources hand the core whatever the page navigated to. */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Origin and path: where a front-channel URL goes, without its query (which holds secrets). */
export function endpointOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** The first value of a parameter, or null. */
export function first(params: Params, key: string): string | null {
  return params.get(key)?.[0] ?? null;
}

/** The value parsed as JSON when it is JSON (OIDC `claims`, RFC 9396 `authorization_details`), else the text. */
export function jsonOrText(value: string | null): unknown {
  if (value === null) return null;
  try {
    // Bounded (bounded.ts): a request parameter nested thousands deep would break every view of the sign-in.
    return boundValue(JSON.parse(value) as unknown).value;
  } catch {
    return value;
  }
}
