/**
 * SHA-256 from @noble/hashes (audited, synchronous, no dependencies): the same digest in Node,
 * the worker, the page hook and the views. Synchronous because the page hook must fingerprint
 * without awaiting `crypto.subtle` between the page's call and its answer.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Lower-case hex SHA-256 of the UTF-8 encoding of `text`. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** The fingerprint Tokenscope shows instead of a secret: `sha256:` and the hex digest. */
export function fingerprint(secret: string): string {
  return `sha256:${sha256Hex(secret)}`;
}
