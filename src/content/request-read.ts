/** What the page hook reads of a request before it goes out: its body as text, one header of its init. Nothing consumed. */
import { PAGE_LIMITS } from '../core/limits.js';

const textDecoder = new TextDecoder();

/** A request body as text, when it can be had synchronously and cheaply; null otherwise. */
export function bodyText(body: unknown): string | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return body.length <= PAGE_LIMITS.requestBody ? body : null;
  if (body instanceof URLSearchParams) return body.toString();
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    const form = new URLSearchParams();
    for (const [key, value] of body) if (typeof value === 'string') form.append(key, value);
    return form.toString();
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    return body.byteLength <= PAGE_LIMITS.requestBody ? textDecoder.decode(body) : null;
  }
  return null; // Blob, ReadableStream, Document: not read.
}

/**
 * One header of a fetch init, read without consuming anything the page passed: a Headers object, an
 * array of pairs or a plain record; anything else (a one-shot iterator) is left alone for fetch.
 */
export function headerOf(headers: HeadersInit | undefined, name: string): string | null {
  if (!headers) return null;
  try {
    if (headers instanceof Headers) return headers.get(name);
    if (Array.isArray(headers)) {
      const pair = headers.find((entry) => Array.isArray(entry) && String(entry[0]).toLowerCase() === name);
      return pair ? String(pair[1]) : null;
    }
    if (typeof headers === 'object' && !(Symbol.iterator in headers)) {
      const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
      return key === undefined ? null : String((headers as Record<string, unknown>)[key]);
    }
    return null;
  } catch {
    return null;
  }
}
