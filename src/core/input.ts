/**
 * What a user can hand Tokenscope (the CLI's FILE, the popup's import): a HAR,
 * an exported report, one exchange, or a raw token response (JSON or form).
 */
import { isHar, readHar } from './har.js';
import { isObject } from './json.js';
import { signInStepsFromHar } from './sign-in/har.js';
import type { SignInStep } from './sign-in/types.js';
import type { BearerUse, CapturedExchange, Report } from './types.js';

/**
 * Input that cannot be read at all (not JSON, not a HAR, a report or a token response), with a one-line reason.
 * @see [RFC 8259: JSON](https://www.rfc-editor.org/rfc/rfc8259)
 */
export class InputError extends Error {}

/**
 * What `readInput` read: a HAR (with its Bearer uses and sign-in steps), a report, exchanges, or a raw token
 * response.
 * @see [RFC 6749 s5.1: a successful token response](https://www.rfc-editor.org/rfc/rfc6749#section-5.1)
 */
export type Input =
  | { kind: 'har'; exchanges: CapturedExchange[]; bearerUses: BearerUse[]; signInSteps: SignInStep[]; entries: number }
  | { kind: 'report'; report: Report }
  | { kind: 'exchange'; exchanges: CapturedExchange[] }
  | { kind: 'response'; exchanges: CapturedExchange[] };

/**
 * Whether parsed JSON is an exported Tokenscope report (`--format json`, the popup's export).
 * @see [JSON Schema 2020-12, which tokenscope/report.schema.json is written in](https://json-schema.org/draft/2020-12/json-schema-core)
 */
export function isReport(value: unknown): value is Report {
  return isObject(value) && value.tool === 'tokenscope' && Array.isArray(value.exchanges) && isObject(value.summary);
}

/** One captured exchange as JSON: `{ request: { url?, body }, response: { status?, body } }`. */
function exchangeFromJson(value: Record<string, unknown>, name: string, startedAt: string): CapturedExchange | null {
  const request = isObject(value.request) ? value.request : null;
  const response = isObject(value.response) ? value.response : null;
  if (!response || (typeof response.body !== 'string' && response.body !== null)) return null;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const headers: Record<string, string> = {};
  const requestType = text(request?.contentType);
  if (requestType) headers['content-type'] = requestType;
  return {
    url: text(request?.url) ?? text(value.url) ?? name,
    method: (text(request?.method) ?? text(value.method) ?? 'POST').toUpperCase(),
    status: typeof response.status === 'number' ? response.status : null,
    startedAt: text(value.capturedAt) ?? text(value.startedAt) ?? startedAt,
    source: 'file',
    request: { headers, body: typeof request?.body === 'string' ? request.body : null },
    response: { contentType: text(response.contentType) ?? '', body: response.body as string | null },
  };
}

/**
 * Read one input. `name` labels it in messages and stands in for the URL of a
 * raw response; `startedAt` is the capture time a raw response gets.
 * Throws InputError, with a one-line reason, for input that cannot be read at all.
 * @see [RFC 6749 s5.1: a successful token response](https://www.rfc-editor.org/rfc/rfc6749#section-5.1)
 */
export function readInput(text: string, name: string, startedAt: string): Input {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new InputError(`${name} is empty`);
  let parsed: unknown;
  let jsonError: string | null = null;
  if (trimmed[0] === '{' || trimmed[0] === '[') {
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      jsonError = error instanceof Error ? error.message : String(error);
    }
  }
  if (jsonError !== null) {
    // A HAR or a report that is cut off is an unreadable file, not a token response.
    if (/^\{\s*"(log|tool)"\s*:/.test(trimmed)) {
      throw new InputError(
        `${name} is not valid JSON (${jsonError}); is the ${trimmed.includes('"log"') ? 'HAR' : 'report'} file complete?`,
      );
    }
  } else if (parsed !== undefined) {
    if (isHar(parsed))
      return { kind: 'har', ...readHar(parsed), signInSteps: signInStepsFromHar(parsed.log.entries), entries: parsed.log.entries.length };
    if (isReport(parsed)) return { kind: 'report', report: parsed };
    if (isObject(parsed) && isObject(parsed.response) && !('access_token' in parsed)) {
      const exchange = exchangeFromJson(parsed, name, startedAt);
      if (!exchange) throw new InputError(`${name} has a "response" but no response body string`);
      return { kind: 'exchange', exchanges: [exchange] };
    }
    if (isObject(parsed) && isObject(parsed.log)) throw new InputError(`${name} looks like a HAR but has no log.entries array`);
  }
  // Anything else is a raw token response; one that is neither JSON nor form
  // data becomes an unparseable-response finding that says where parsing failed.
  return {
    kind: 'response',
    exchanges: [
      {
        url: name,
        method: 'POST',
        status: null,
        startedAt,
        source: 'file',
        request: { body: null },
        response: { contentType: '', body: text },
      },
    ],
  };
}
