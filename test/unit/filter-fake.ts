/** A small fake of Firefox's stream filter and of `browser` for the filterResponseData adapter, with the real store. */
import assert from 'node:assert/strict';
import type { Browser, WebRequest } from 'webextension-polyfill';
import type { WorkerDeps } from '../../src/background/deps.js';
import { type FilterCapture, startFilterCapture } from '../../src/background/filter.js';
import type { StoredExchange } from '../../src/background/store.js';
import { workerDeps } from '../../src/background/worker-deps.js';
import { FakeArea } from './fakes.js';
import { badgeAtOnce } from './worker-fake.js';

/** A stream filter that records what the adapter does; `write` hands the buffer on (detaches it), as Firefox's does. */
export class FakeFilter {
  ondata?: (event: { data: ArrayBuffer }) => void;
  onstop?: (event: unknown) => void;
  onerror?: (event: unknown) => void;
  readonly calls: string[] = [];
  readonly written: Uint8Array[] = [];

  write(data: ArrayBuffer): void {
    this.calls.push('write');
    this.written.push(new Uint8Array(structuredClone(data, { transfer: [data] })));
  }
  close(): void {
    this.calls.push('close');
  }
  disconnect(): void {
    this.calls.push('disconnect');
  }

  /** The network layer delivering `chunks`, then the end of the stream. */
  deliver(chunks: Uint8Array[], end = true): void {
    for (const chunk of chunks) this.ondata?.({ data: chunk.slice().buffer });
    if (end) this.onstop?.({});
  }

  output(): Buffer {
    return Buffer.concat(this.written);
  }
}

export const EXT_ID = 'tokenscope@tokenscope.dev';
export const EXT_BASE = 'moz-extension://7e57f00d-70ce-4c0e-8a5e-000000f1ef0a/';
export const APP = 'http://127.0.0.1:3000/app';
export const TOKEN_URL = 'http://127.0.0.1:4000/v2/oauth2/token';
export const FORM = { grant_type: ['authorization_code'], code: ['abc'], client_id: ['c11e'] };
export const GLOBUS = JSON.stringify({
  access_token: 'AT1',
  resource_server: 'auth.globus.org',
  scope: 'openid profile email',
  token_type: 'Bearer',
  expires_in: 172800,
  other_tokens: [
    {
      access_token: 'AT2',
      resource_server: 'transfer.api.globus.org',
      scope: 'urn:globus:auth:scope:transfer.api.globus.org:all',
      token_type: 'Bearer',
      expires_in: 172800,
    },
  ],
});

export type Listener<D> = (details: D) => unknown;

export interface Fake {
  deps: WorkerDeps;
  area: FakeArea;
  capture: FilterCapture;
  filters: Map<string, FakeFilter>;
  origins: string[];
  beforeRequest: { listener: Listener<WebRequest.OnBeforeRequestDetailsType>; filter: WebRequest.RequestFilter; spec: string[] };
  request(details?: Partial<WebRequest.OnBeforeRequestDetailsType> & { form?: Record<string, string[]> }): {
    id: string;
    result: unknown;
    filter: FakeFilter | undefined;
  };
  headers(id: string, status?: number, contentType?: string): void;
  sendHeaders(id: string, headers: Array<{ name: string; value: string }>): void;
  permissionsAdded(origins: string[]): void;
  permissionsRemoved(origins: string[]): void;
  stored(): Promise<StoredExchange[]>;
}

let nextId = 1;

export function setup(
  options: { origins?: string[]; withoutApi?: boolean; holdGetAll?: Promise<void>; headersWaitMs?: number } = {},
): Fake | null {
  const origins = [...(options.origins ?? ['http://127.0.0.1/*'])];
  const filters = new Map<string, FakeFilter>();
  const listeners = {
    beforeRequest: [] as Array<{
      listener: Listener<WebRequest.OnBeforeRequestDetailsType>;
      filter: WebRequest.RequestFilter;
      spec: string[];
    }>,
    sendHeaders: [] as Listener<WebRequest.OnSendHeadersDetailsType>[],
    headersReceived: [] as Listener<WebRequest.OnHeadersReceivedDetailsType>[],
    added: [] as Listener<{ origins?: string[] }>[],
    removed: [] as Listener<{ origins?: string[] }>[],
  };
  const webRequest: Record<string, unknown> = {
    onBeforeRequest: {
      addListener: (listener: Listener<WebRequest.OnBeforeRequestDetailsType>, filter: WebRequest.RequestFilter, spec: string[]) =>
        listeners.beforeRequest.push({ listener, filter, spec }),
    },
    onSendHeaders: { addListener: (listener: Listener<WebRequest.OnSendHeadersDetailsType>) => listeners.sendHeaders.push(listener) },
    onHeadersReceived: {
      addListener: (listener: Listener<WebRequest.OnHeadersReceivedDetailsType>) => listeners.headersReceived.push(listener),
    },
  };
  if (!options.withoutApi) {
    webRequest.filterResponseData = (requestId: string) => {
      const filter = new FakeFilter();
      filters.set(requestId, filter);
      return filter;
    };
  }
  const browser = {
    runtime: { id: EXT_ID, getURL: (path: string) => `${EXT_BASE}${path.replace(/^\//, '')}` },
    permissions: {
      getAll: async () => {
        await options.holdGetAll;
        return { origins: [...origins], permissions: ['webRequest'] };
      },
      onAdded: { addListener: (listener: Listener<{ origins?: string[] }>) => listeners.added.push(listener) },
      onRemoved: { addListener: (listener: Listener<{ origins?: string[] }>) => listeners.removed.push(listener) },
    },
    tabs: { get: async (tabId: number) => ({ id: tabId, url: APP }), query: async () => [] },
    action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {} },
    webRequest,
  } as unknown as Browser;
  const area = new FakeArea();
  const deps = workerDeps(browser, area, badgeAtOnce);
  const capture = startFilterCapture(deps, options.headersWaitMs === undefined ? {} : { headersWaitMs: options.headersWaitMs });
  if (!capture) return null;
  const [beforeRequest] = listeners.beforeRequest;
  assert.ok(beforeRequest);
  return {
    deps,
    area,
    capture,
    filters,
    origins,
    beforeRequest,
    request(details = {}) {
      const id = String(nextId++);
      const { form = FORM, ...rest } = details;
      const result = beforeRequest.listener({
        requestId: id,
        url: TOKEN_URL,
        method: 'POST',
        frameId: 0,
        parentFrameId: -1,
        tabId: 7,
        type: 'xmlhttprequest',
        timeStamp: Date.parse('2026-01-10T10:00:00.000Z'),
        thirdParty: false,
        documentUrl: APP,
        originUrl: APP,
        requestBody: { formData: form as unknown as Record<string, string> },
        ...rest,
      });
      return { id, result, filter: filters.get(id) };
    },
    headers(id, status = 200, contentType = 'application/json') {
      for (const listener of listeners.headersReceived)
        listener({
          requestId: id,
          url: TOKEN_URL,
          statusCode: status,
          responseHeaders: [{ name: 'Content-Type', value: contentType }],
        } as WebRequest.OnHeadersReceivedDetailsType);
    },
    sendHeaders(id, headers) {
      for (const listener of listeners.sendHeaders)
        listener({ requestId: id, url: TOKEN_URL, requestHeaders: headers } as WebRequest.OnSendHeadersDetailsType);
    },
    permissionsAdded(added) {
      origins.push(...added);
      for (const listener of listeners.added) listener({ origins: added });
    },
    permissionsRemoved(removed) {
      origins.splice(0, origins.length, ...origins.filter((origin) => !removed.includes(origin)));
      for (const listener of listeners.removed) listener({ origins: removed });
    },
    async stored() {
      await capture.idle();
      return (await deps.store.read()).exchanges;
    },
  };
}

export async function ready(options: Parameters<typeof setup>[0] = {}): Promise<Fake> {
  const fake = setup(options);
  assert.ok(fake);
  await fake.capture.ready;
  return fake;
}

export const bytes = (text: string) => new TextEncoder().encode(text);
/** One byte per character (ISO-8859-1), in a buffer of its own (a small Buffer's `.buffer` is a shared pool). */
export const latin1 = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));

/** `data` cut into pieces of the given sizes (the rest in the last piece). */
export function cut(data: Uint8Array, ...sizes: number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    pieces.push(data.subarray(offset, offset + size));
    offset += size;
  }
  pieces.push(data.subarray(offset));
  return pieces;
}
