/**
 * SHA-256 from @noble/hashes (audited, synchronous, no dependencies): the same digest in Node,
 * the worker, the page hook and the views. Synchronous because the page hook must fingerprint
 * without awaiting `crypto.subtle` between the page's call and its answer.
 *
 * A host with a native SHA-256 may hand it in (`useNativeSha256Hex`): the CLI does (node:crypto),
 * since a large HAR fingerprints tens of thousands of Bearer tokens and this core stays free of
 * Node's APIs. It must give the same digest of the same text's UTF-8 encoding (lone surrogates as
 * U+FFFD, as TextEncoder writes them).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** The portable digest: lower-case hex SHA-256 of the UTF-8 encoding of `text`. */
export function portableSha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

let digestHex: (text: string) => string = portableSha256Hex;

/** Hands in a faster SHA-256 with the same result as `portableSha256Hex` (null: the portable one again). */
export function useNativeSha256Hex(native: ((text: string) => string) | null): void {
  digestHex = native ?? portableSha256Hex;
}

/** Lower-case hex SHA-256 of the UTF-8 encoding of `text`. */
export function sha256Hex(text: string): string {
  return digestHex(text);
}

/** The fingerprint Tokenscope shows instead of a secret: `sha256:` and the hex digest. */
export function fingerprint(secret: string): string {
  return `sha256:${sha256Hex(secret)}`;
}
