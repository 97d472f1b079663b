/** The worker over a small fake `browser`, with the real store: shared by the handler and view tests. */
import assert from 'node:assert/strict';
import type { Browser, Runtime } from 'webextension-polyfill';
import { updateBadge } from '../../src/background/badge.js';
import type { BadgeSchedule, WorkerDeps } from '../../src/background/deps.js';
import { handleMessage } from '../../src/background/dispatch.js';
import { workerDeps } from '../../src/background/worker-deps.js';
import type { PageExchange } from '../../src/protocol/page-exchange.js';
import { FakeArea } from './fakes.js';
import { jwt } from './helpers.js';

export const EXT_ID = 'tokenscopeextensionid';
export const EXT_BASE = `chrome-extension://${EXT_ID}/`;
export const APP = 'http://127.0.0.1:3000/app';
export const APP_ORIGIN = 'http://127.0.0.1:3000';
export const TOKEN_URL = 'http://127.0.0.1:4000/oauth2/token';
export const API = 'https://api.example.test';

/** The badge recomputed at once after each capture, so a test reads it when the capture is answered (badge.test.ts has the scheduler). */
export const badgeAtOnce: BadgeSchedule = { schedule: (deps, tabId) => updateBadge(deps, tabId) };

type PermissionListener = (permissions: { origins?: string[] }) => void;

export interface Fake {
  deps: WorkerDeps;
  area: FakeArea;
  badges: Map<number, string>;
  /** How many times a badge text was set. */
  badgeUpdates: number;
  /** The user grants or withdraws site access: the origins change and the permission events fire. */
  grant(origins: string[]): void;
  revoke(origins: string[]): void;
  colors: Map<number, string>;
  origins: string[];
  tabs: Map<number, string | undefined>;
}

export function setup(options: { origins?: string[]; tabs?: Record<number, string | undefined> } = {}): Fake {
  const origins = options.origins ?? ['http://127.0.0.1/*'];
  const tabs = new Map<number, string | undefined>(
    Object.entries(options.tabs ?? { 7: APP, 8: APP }).map(([id, url]) => [Number(id), url]),
  );
  const badges = new Map<number, string>();
  const permissionListeners = { added: [] as PermissionListener[], removed: [] as PermissionListener[] };
  const colors = new Map<number, string>();
  const browser = {
    runtime: { id: EXT_ID, getURL: (path: string) => `${EXT_BASE}${path.replace(/^\//, '')}` },
    permissions: {
      getAll: async () => ({ origins: [...origins], permissions: ['storage', 'scripting'] }),
      onAdded: { addListener: (listener: PermissionListener) => permissionListeners.added.push(listener) },
      onRemoved: { addListener: (listener: PermissionListener) => permissionListeners.removed.push(listener) },
    },
    tabs: {
      get: async (tabId: number) => {
        if (!tabs.has(tabId)) throw new Error(`No tab with id: ${tabId}.`);
        const url = tabs.get(tabId);
        return url === undefined ? { id: tabId } : { id: tabId, url };
      },
      query: async () => [...tabs.keys()].map((id) => ({ id, url: tabs.get(id) })),
    },
    action: {
      setBadgeText: async ({ tabId, text }: { tabId: number; text: string }) => {
        if (!tabs.has(tabId)) throw new Error(`No tab with id: ${tabId}.`);
        badges.set(tabId, text);
        fake.badgeUpdates += 1;
      },
      setBadgeBackgroundColor: async ({ tabId, color }: { tabId: number; color: string }) => {
        if (!tabs.has(tabId)) throw new Error(`No tab with id: ${tabId}.`);
        colors.set(tabId, color);
      },
    },
  } as unknown as Browser;
  const area = new FakeArea();
  const fake: Fake = {
    deps: workerDeps(browser, area, badgeAtOnce),
    area,
    badges,
    badgeUpdates: 0,
    grant(added) {
      origins.push(...added.filter((origin) => !origins.includes(origin)));
      for (const listener of permissionListeners.added) listener({ origins: added });
    },
    revoke(removed) {
      origins.splice(0, origins.length, ...origins.filter((origin) => !removed.includes(origin)));
      for (const listener of permissionListeners.removed) listener({ origins: removed });
    },
    colors,
    origins,
    tabs,
  };
  return fake;
}

export const contentScript = (tabId = 7, url = APP): Runtime.MessageSender => ({
  id: EXT_ID,
  tab: { id: tabId, url } as Runtime.MessageSender['tab'],
  url,
  frameId: 0,
});
export const popup: Runtime.MessageSender = { id: EXT_ID, url: `${EXT_BASE}popup.html` };
export const panel: Runtime.MessageSender = { id: EXT_ID, url: `${EXT_BASE}panel.html`, tab: { id: 3 } as Runtime.MessageSender['tab'] };

/** A real token response: a JWT access token whose aud names two servers (one high finding). */
export function tokenResponse(label = 'a'): string {
  const now = Math.floor(Date.now() / 1000);
  const token = jwt({
    iss: 'http://127.0.0.1:4000/',
    sub: `user-${label}`,
    client_id: 'app',
    aud: [API, 'https://other.example.test'],
    scope: 'read',
    iat: now - 5,
    exp: now + 3600,
    jti: label,
  });
  return JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'read' });
}

export function pageExchange(fields: Partial<PageExchange> = {}): PageExchange {
  return {
    url: TOKEN_URL,
    method: 'POST',
    status: 200,
    startedAt: new Date().toISOString(),
    requestBody: 'grant_type=client_credentials&scope=read',
    requestContentType: 'application/x-www-form-urlencoded',
    requestAuthorization: 'Basic YXBwOnNlY3JldA==',
    responseBody: tokenResponse(),
    responseContentType: 'application/json',
    bodyNote: null,
    ...fields,
  };
}

export async function send(fake: Fake, message: unknown, sender: Runtime.MessageSender): Promise<unknown> {
  const reply = handleMessage(fake.deps, message, sender);
  assert.ok(reply, `expected a reply to ${JSON.stringify(message).slice(0, 80)}`);
  return reply;
}

export async function exchanges(fake: Fake) {
  return (await fake.deps.store.read()).exchanges;
}
