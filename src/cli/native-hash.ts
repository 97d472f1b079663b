/**
 * node:crypto's SHA-256 for core/sha256.ts: the same digest as the portable one, natively (a
 * 1.5 GB HAR fingerprints ~90,000 Bearer tokens; docs/BENCHMARKS.md). Node encodes a lone
 * surrogate as U+FFFD, as TextEncoder does, so the digest of any string is the same.
 */
import { createHash } from 'node:crypto';
import { useNativeSha256Hex } from '../core/sha256.js';

export function nodeSha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Makes core/sha256.ts use node:crypto in this thread. */
export function useNodeSha256(): void {
  useNativeSha256Hex(nodeSha256Hex);
}
