/**
 * Amazon Cognito's user pools API, which hands out the same tokens as its OAuth endpoints without being one:
 * Amplify (aws-amplify 6, `@aws-amplify/auth`) signs in through the hosted UI's `/oauth2/token` but refreshes with
 * `POST https://cognito-idp.<region>.amazonaws.com/`, `x-amz-target: AWSCognitoIdentityProviderService.GetTokensFromRefreshToken`
 * (or `InitiateAuth` with `AuthFlow: REFRESH_TOKEN_AUTH`), an AWS JSON body `{ClientId, RefreshToken}`, answered
 * `{AuthenticationResult: {AccessToken, IdToken, RefreshToken?, ExpiresIn, TokenType}}`.
 * Such an exchange is read as the token exchange it is: its request and answer in OAuth's words, so every rule,
 * the sign-in join (by the refresh token) and the views treat it like the hosted UI's own refresh.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html (`__type`, `message`)
 */
import { isCognitoTokenCall } from '../candidate.js';
import { isObject, type JsonObject } from '../json.js';
import { MAX_BODY_CHARS } from '../limits.js';
import type { CapturedExchange } from '../types.js';

function parsed(text: string | null): JsonObject | null {
  if (text === null || text.length > MAX_BODY_CHARS) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The OAuth grant an operation stands for: a refresh, a password sign-in, or the flow's own name. */
function grantOf(request: JsonObject, target: string): string {
  const flow = str(request.AuthFlow);
  if (
    target.endsWith('.GetTokensFromRefreshToken') ||
    str(request.RefreshToken) ||
    flow === 'REFRESH_TOKEN_AUTH' ||
    flow === 'REFRESH_TOKEN'
  )
    return 'refresh_token';
  if (flow === 'USER_PASSWORD_AUTH' || flow === 'ADMIN_USER_PASSWORD_AUTH') return 'password';
  return `cognito:${(flow ?? str(request.ChallengeName) ?? target.split('.').pop() ?? 'unknown').toLowerCase()}`;
}

function form(fields: Record<string, string | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== null) params.set(key, value);
  return params.toString();
}

/** The answer in OAuth's words: the tokens of `AuthenticationResult`, or an error from `__type` and `message`. */
function oauthAnswer(answer: JsonObject): JsonObject | null {
  const result = answer.AuthenticationResult;
  if (isObject(result)) {
    const tokens: JsonObject = {};
    if (str(result.AccessToken)) tokens.access_token = result.AccessToken;
    if (str(result.IdToken)) tokens.id_token = result.IdToken;
    if (str(result.RefreshToken)) tokens.refresh_token = result.RefreshToken;
    if (typeof result.ExpiresIn === 'number') tokens.expires_in = result.ExpiresIn;
    if (str(result.TokenType)) tokens.token_type = result.TokenType;
    return tokens;
  }
  const type = str(answer.__type);
  // `NotAuthorizedException` is Cognito's answer to a revoked, expired or reused refresh token.
  if (type) return { error: type.split('#').pop() as string, ...(str(answer.message) ? { error_description: answer.message } : {}) };
  return null;
}

/**
 * The exchange in OAuth's words when it is a user pools API call that answers with tokens (or an error), else the
 * exchange as it is. Secrets stay where they were: the request's refresh token is a fingerprint in every report.
 */
export function asOAuthExchange(exchange: CapturedExchange): CapturedExchange {
  if (exchange.method.toUpperCase() !== 'POST' || !isCognitoTokenCall(exchange.url, exchange.request.body)) return exchange;
  const request = parsed(exchange.request.body);
  const answer = parsed(exchange.response.body);
  const oauth = answer ? oauthAnswer(answer) : null;
  if (!request || !oauth) return exchange;
  const target = exchange.request.headers?.['x-amz-target'] ?? '';
  const parameters = isObject(request.AuthParameters) ? request.AuthParameters : {};
  return {
    ...exchange,
    request: {
      headers: { ...exchange.request.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        grant_type: grantOf(request, target),
        client_id: str(request.ClientId),
        refresh_token: str(request.RefreshToken) ?? str(parameters.REFRESH_TOKEN),
      }),
    },
    response: { ...exchange.response, contentType: 'application/json', body: JSON.stringify(oauth) },
  };
}
