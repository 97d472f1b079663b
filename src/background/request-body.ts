/**
 * A request body as Firefox's blocking webRequest listener gives it (form data or raw bytes), as text for the
 * candidate test (filter.ts).
 */
import type { WebRequest } from 'webextension-polyfill';
import { STORE_LIMITS } from '../core/limits.js';

/** The request body webRequest gives (form data or raw bytes) as text, for the candidate test. */
export function requestBodyText(body: WebRequest.OnBeforeRequestDetailsTypeRequestBodyType | undefined): string | null {
  if (!body) return null;
  if (body.formData) {
    const form = new URLSearchParams();
    for (const [key, values] of Object.entries(body.formData)) for (const value of values) form.append(key, String(value));
    return form.toString();
  }
  if (body.raw?.length) {
    const decoder = new TextDecoder();
    return body.raw
      .map((part) => (part.bytes ? decoder.decode(part.bytes as ArrayBuffer) : ''))
      .join('')
      .slice(0, STORE_LIMITS.requestBody);
  }
  return null;
}
