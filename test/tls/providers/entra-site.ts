/** The Contoso app (https://app.contoso.example) with Entra ID and Graph: what both browsers' tests serve. */
import type { SiteHandler } from '../server.js';
import { appSite, bundleApp } from '../site.js';
import {
  ENTRA_CLIENT_ID,
  ENTRA_HOST,
  type EntraOptions,
  type EntraProvider,
  entraProvider,
  GRAPH_HOST,
  ORDERS_SCOPE,
  TENANT_ID,
} from './entra.js';

export const CONTOSO_HOST = 'app.contoso.example';
export const CONTOSO_URL = `https://${CONTOSO_HOST}/`;

export function entraSites(options: EntraOptions = {}): { provider: EntraProvider; sites: Record<string, SiteHandler> } {
  const provider = entraProvider(options);
  const app = appSite({
    title: 'Contoso orders (MSAL.js)',
    script: bundleApp(new URL('../apps/msal-app.ts', import.meta.url)),
    config: {
      clientId: ENTRA_CLIENT_ID,
      authority: `https://${ENTRA_HOST}/${TENANT_ID}`,
      graphMe: `https://${GRAPH_HOST}/v1.0/me`,
      ordersScope: ORDERS_SCOPE,
    },
    buttons: ['login-redirect', 'login-popup', 'me', 'orders'],
  });
  return { provider, sites: { ...provider.sites, [CONTOSO_HOST]: app } };
}
