/**
 * A sign-in through a broker: Supabase Auth's authorize sends the browser on to the upstream provider
 * (GitHub, Google...) with Supabase's own client id and its callback `<project>/auth/v1/callback` as the
 * redirect URI; Supabase redeems that code on its server and sends the browser back to the app's
 * `redirect_to` with a code of its own (@supabase/auth-js src/GoTrueClient.ts `_getUrlForProvider`;
 * supabase.com/docs/guides/auth/social-login). The upstream round trip is one step of the app's sign-in,
 * not a sign-in of its own.
 */
import { supabaseProject } from '../providers/supabase.js';
import { parseUrl } from './params.js';
import type { FrontChannel } from './steps.js';
import { JOIN_WINDOW_MS } from './steps.js';

function time(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

/** The Supabase project whose callback a redirect URI is (`<project>/auth/v1/callback`), or null. */
function callbackProject(redirectUri: string | null): string | null {
  const url = redirectUri ? parseUrl(redirectUri) : null;
  return url && /\/auth\/v1\/callback\/?$/.test(url.pathname) ? supabaseProject(url.href) : null;
}

/** Each upstream round trip moved into the Supabase sign-in it belongs to: the latest authorize of that project before it. */
export function foldUpstreamLegs(channels: readonly FrontChannel[]): FrontChannel[] {
  const kept: FrontChannel[] = [];
  for (const channel of channels) {
    const project = callbackProject(channel.request?.redirectUri ?? null);
    const at = time(channel.request?.at ?? '');
    const broker =
      project === null
        ? undefined
        : kept
            .filter((candidate) => {
              const request = candidate.request;
              return (
                request?.upstreamProvider !== undefined &&
                !candidate.upstream &&
                supabaseProject(request.endpoint) === project &&
                time(request.at) <= at &&
                at - time(request.at) <= JOIN_WINDOW_MS
              );
            })
            .at(-1);
    if (broker && channel.request) broker.upstream = { authorization: channel.request, response: channel.response };
    else kept.push(channel);
  }
  return kept;
}
