/**
 * What the page hook reads of a response it follows: a fetch clone's body up to a size limit, an XMLHttpRequest's
 * answer in whatever `responseType` the page chose. Never the page's own body: the clone, or what the XHR already holds.
 */
import { decodeBody } from '../core/decode.js';
import { PAGE_LIMITS } from '../core/limits.js';

/** The largest response body the hook keeps. */
export const MAX_RESPONSE_BYTES = PAGE_LIMITS.responseBody;

/** Read at most `max` bytes of a response clone; cancels the clone (never the page's body) past that. */
export async function readCapped(response: Response, max: number): Promise<{ text: string | null; note: string | null }> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    void response.body?.cancel().catch(() => {});
    return { text: null, note: `Body of ${declared} bytes not captured (over the ${max}-byte limit).` };
  }
  if (!response.body) return { text: await response.text(), note: null };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel().catch(() => {});
      return { text: null, note: `Body over ${max} bytes not captured.` };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: decodeBody(bytes, response.headers.get('content-type')), note: null };
}

export function xhrResponseText(xhr: XMLHttpRequest): Promise<{ text: string | null; note: string | null }> {
  switch (xhr.responseType) {
    case '':
    case 'text':
      return Promise.resolve(
        xhr.responseText.length <= MAX_RESPONSE_BYTES
          ? { text: xhr.responseText, note: null }
          : { text: null, note: `Body over ${MAX_RESPONSE_BYTES} characters not captured.` },
      );
    case 'json': {
      if (xhr.response === null) return Promise.resolve({ text: null, note: 'The response was not JSON (responseType "json" gave null).' });
      const text = JSON.stringify(xhr.response);
      return Promise.resolve(
        text.length <= MAX_RESPONSE_BYTES ? { text, note: null } : { text: null, note: 'Body over the size limit not captured.' },
      );
    }
    case 'arraybuffer': {
      const buffer = xhr.response as ArrayBuffer | null;
      if (!buffer) return Promise.resolve({ text: null, note: null });
      return Promise.resolve(
        buffer.byteLength <= MAX_RESPONSE_BYTES
          ? { text: decodeBody(new Uint8Array(buffer), xhr.getResponseHeader('content-type')), note: null }
          : { text: null, note: 'Body over the size limit not captured.' },
      );
    }
    case 'blob': {
      const blob = xhr.response as Blob | null;
      if (!blob) return Promise.resolve({ text: null, note: null });
      return blob.size <= MAX_RESPONSE_BYTES
        ? blob
            .arrayBuffer()
            .then((buffer) => ({ text: decodeBody(new Uint8Array(buffer), xhr.getResponseHeader('content-type')), note: null }))
        : Promise.resolve({ text: null, note: 'Body over the size limit not captured.' });
    }
    default:
      return Promise.resolve({ text: null, note: `responseType "${xhr.responseType}" is not captured.` });
  }
}
