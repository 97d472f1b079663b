/**
 * The browser's own functions the page hook calls on the page's objects, kept when the hook starts (document_start,
 * before any page script): a page that replaces `Response.prototype.clone`, `text` or `Promise.prototype.then` does
 * not choose the copy the hook reads, nor see or change it on its way.
 */
export const nativeClone = typeof Response === 'undefined' ? null : Response.prototype.clone;
export const nativeText = typeof Response === 'undefined' ? null : Response.prototype.text;
export const nativeThen = Promise.prototype.then;
export const apply = Reflect.apply;

/** `promise.then(fulfilled, rejected)` with the browser's own `then`. */
export function thenOf<T>(promise: Promise<T>, fulfilled: (value: T) => void, rejected: (reason: unknown) => void): void {
  apply(nativeThen, promise, [fulfilled, rejected]);
}

/** A copy of `response` made with the browser's own `clone`. */
export function cloneOf(response: Response): Response {
  return nativeClone ? apply(nativeClone, response, []) : response.clone();
}
