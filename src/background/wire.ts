/**
 * What `webRequest.onBeforeRequest` saw on the wire: token requests from
 * watched tabs. A page-reported exchange that matches one (same tab, method,
 * URL, within a minute) is `verified`; one that matches none stays
 * `page-reported`. Each wire record verifies one exchange only.
 *
 * Kept in storage.session (a few small records) so a worker stopped between
 * the request and the page's report still verifies it.
 */
import type { WebRequest } from 'webextension-polyfill';
import { isCandidateRequest } from '../core/candidate.js';
import { STORE_LIMITS } from '../core/limits.js';
import { SerialQueue } from '../core/serial-queue.js';
import type { StorageArea } from './store.js';

export interface WireRecord {
  tabId: number;
  method: string;
  url: string;
  time: number;
}

const KEY = 'wire';
const MATCH_WINDOW_MS = 60_000;

/** The request body webRequest gives (form data or raw bytes) as text, for the candidate test. */
export function wireBody(body: WebRequest.OnBeforeRequestDetailsTypeRequestBodyType | undefined): string | null {
  if (!body) return null;
  if (body.formData) {
    const form = new URLSearchParams();
    for (const [key, values] of Object.entries(body.formData)) for (const value of values) form.append(key, String(value));
    return form.toString();
  }
  if (body.raw?.length) {
    const decoder = new TextDecoder();
    return body.raw
      .map((part) => (part.bytes ? decoder.decode(part.bytes as ArrayBuffer) : ''))
      .join('')
      .slice(0, STORE_LIMITS.wireBody);
  }
  return null;
}

export class WireLog {
  /** One read-change-write at a time. */
  private readonly queue = new SerialQueue();

  constructor(private readonly area: StorageArea) {}

  private async records(): Promise<WireRecord[]> {
    const items = await this.area.get([KEY]);
    return Array.isArray(items[KEY]) ? (items[KEY] as WireRecord[]) : [];
  }

  /** Called for every request webRequest reports on a watched host; keeps only token-request candidates. */
  seen(details: {
    tabId: number;
    method: string;
    url: string;
    timeStamp: number;
    requestBody?: WebRequest.OnBeforeRequestDetailsTypeRequestBodyType;
  }): Promise<void> | undefined {
    if (details.tabId < 0 || details.method !== 'POST') return undefined;
    if (!isCandidateRequest(details.method, details.url, wireBody(details.requestBody))) return undefined;
    const record: WireRecord = { tabId: details.tabId, method: details.method, url: details.url, time: details.timeStamp };
    return this.queue.run(async () => {
      const now = Date.now();
      const kept = (await this.records()).filter((r) => now - r.time < MATCH_WINDOW_MS * 2);
      kept.push(record);
      await this.area.set({ [KEY]: kept.slice(-STORE_LIMITS.wireRecords) });
    });
  }

  /** Find and consume the wire record for a page-reported request. */
  verify(tabId: number, method: string, url: string, startedAt: number): Promise<boolean> {
    return this.queue.run(async () => {
      const records = await this.records();
      const index = records.findIndex(
        (r) => r.tabId === tabId && r.method === method && r.url === url && Math.abs(r.time - startedAt) < MATCH_WINDOW_MS,
      );
      if (index < 0) return false;
      records.splice(index, 1);
      await this.area.set({ [KEY]: records });
      return true;
    });
  }
}
