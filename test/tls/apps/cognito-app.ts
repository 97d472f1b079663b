// The shop app (bundled with aws-amplify 6.22 by esbuild): Amplify Auth configured for a Cognito user pool's hosted UI
// (no AWS account: a pool id, an app client id and the hosted UI domain are all Amplify needs for signInWithRedirect),
// code + PKCE, the API call with the access token, and Amplify's refresh (fetchAuthSession({ forceRefresh: true })).
// Configuration shape: https://docs.amplify.aws/gen1/javascript/build-a-backend/auth/set-up-auth/ (Auth.Cognito with
// loginWith.oauth); the redirect is finished by Amplify itself once configured (enableOAuthListener.mjs).
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signInWithRedirect } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import { call, onClick, readConfig, setStatus } from './page.js';

const config = readConfig<{ userPoolId: string; userPoolClientId: string; domain: string; scopes: string[]; api: string }>();

Hub.listen('auth', ({ payload }) => {
  if (payload.event === 'signInWithRedirect') setStatus('signed-in');
  if (payload.event === 'signInWithRedirect_failure') setStatus(`error: ${JSON.stringify(payload.data ?? null)}`);
});

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: config.userPoolId,
      userPoolClientId: config.userPoolClientId,
      loginWith: {
        oauth: {
          domain: config.domain,
          scopes: config.scopes,
          redirectSignIn: [`${location.origin}/`],
          redirectSignOut: [`${location.origin}/`],
          responseType: 'code',
        },
      },
    },
  },
});

async function accessToken(forceRefresh: boolean): Promise<string> {
  const { tokens } = await fetchAuthSession({ forceRefresh });
  if (!tokens?.accessToken) throw new Error('no access token');
  return tokens.accessToken.toString();
}

onClick('signin', async () => {
  setStatus('signing-in');
  await signInWithRedirect();
});

onClick('api', async () => {
  const body = (await (await call(config.api, { headers: { Authorization: `Bearer ${await accessToken(false)}` } })).json()) as {
    orders: unknown[];
  };
  setStatus(`api-ok ${body.orders.length}`);
});

onClick('refresh', async () => {
  setStatus('refreshing');
  await accessToken(true);
  setStatus('refreshed');
});

if (!new URLSearchParams(location.search).has('code')) setStatus('ready');
else setStatus('exchanging');
