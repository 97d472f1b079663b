/** Reading an error answer from a token endpoint: RFC 6749 s5.2 `error`, or a JSON:API style `errors` list. */
import { isObject, type JsonObject, nonEmptyString } from '../json.js';

/** What an error body says, and the fields kept as evidence. */
export interface ErrorResponse {
  code: string;
  description: string | null;
  evidence: Record<string, unknown>;
}

/** Error fields that help whoever reads the finding find the failure in the server's logs. */
const EVIDENCE_FIELDS = ['error_description', 'error_uri', 'error_codes', 'trace_id', 'correlation_id'] as const;

/** The error a response body states, or null when it states none. */
export function readErrorResponse(value: JsonObject, status: number | null): ErrorResponse | null {
  const error = nonEmptyString(value.error);
  const errors = Array.isArray(value.errors) ? value.errors.filter(isObject).slice(0, 10) : [];
  if (!error && errors.length === 0) return null;
  const firstError = errors[0];
  const code = error ?? nonEmptyString(firstError?.code) ?? 'error';
  const description = nonEmptyString(value.error_description) ?? nonEmptyString(firstError?.detail) ?? nonEmptyString(firstError?.title);
  const evidence: Record<string, unknown> = { error: value.error ?? null, status };
  for (const key of EVIDENCE_FIELDS) {
    if (key in value) evidence[key] = value[key];
  }
  if (errors.length) evidence.errors = errors.map((e) => ({ code: e.code ?? null, detail: e.detail ?? null, status: e.status ?? null }));
  return { code, description, evidence };
}
