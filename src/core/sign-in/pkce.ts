/** RFC 7636 s4.2: `code_challenge = BASE64URL(SHA256(ASCII(code_verifier)))` for S256, the verifier itself for plain. */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** Base64url without padding (RFC 7636 Appendix A). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Whether a `code_challenge_method` is S256. Supabase Auth sends it in lower case (`s256`:
 * @supabase/auth-js src/lib/helpers.ts, `getCodeChallengeAndMethod`) and its server reads it in any case
 * (github.com/supabase/auth internal/models/flow_state.go, `ParseCodeChallengeMethod`: `strings.ToLower`).
 */
export function isS256(method: string | null): boolean {
  return method?.toUpperCase() === 'S256';
}

/** The code challenge a verifier answers, by method (`S256`, else plain). */
export function codeChallengeOf(verifier: string, method: string | null): string {
  return isS256(method) ? base64url(sha256(utf8ToBytes(verifier))) : verifier;
}
