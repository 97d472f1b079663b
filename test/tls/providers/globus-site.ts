/** The Globus portal (https://portal.research.example) with its provider's sites: what both browsers' tests serve. */
import { appSite, bundleApp } from '../site.js';
import type { SiteHandler } from '../server.js';
import { GLOBUS_CLIENT_ID, GROUPS_HOST, GROUPS_SCOPE, globusProvider, type GlobusProvider, TRANSFER_SCOPE } from './globus.js';

export const PORTAL_HOST = 'portal.research.example';
export const PORTAL_URL = `https://${PORTAL_HOST}/`;

export function globusSites(): { provider: GlobusProvider; sites: Record<string, SiteHandler> } {
  const provider = globusProvider();
  const app = appSite({
    title: 'Research portal (Globus SDK)',
    script: bundleApp(new URL('../apps/globus-app.ts', import.meta.url)),
    config: {
      clientId: GLOBUS_CLIENT_ID,
      redirect: PORTAL_URL,
      scopes: `${TRANSFER_SCOPE} ${GROUPS_SCOPE}`,
      groupsUrl: `https://${GROUPS_HOST}/v2/groups/my_groups`,
    },
    buttons: ['signin', 'refresh', 'transfer', 'misuse'],
  });
  return { provider, sites: { ...provider.sites, [PORTAL_HOST]: app } };
}
