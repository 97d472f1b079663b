/**
 * Where captured tokens go afterwards: `webRequest.onBeforeSendHeaders` on
 * watched hosts sees `Authorization: Bearer`; a token Tokenscope captured that
 * is sent to a host outside its resource server is a token-sent-beyond-audience
 * finding. Only fingerprints are kept, and only of tokens the store holds.
 *
 * Every request of a watched site passes here: the work is one header lookup,
 * and a SHA-256 only for requests that carry a Bearer token.
 */
import { buildReport } from '../core/analyze.js';
import { fingerprint } from '../core/sha256.js';
import { MAX_TOKEN_CHARS } from '../core/tokens.js';
import type { BearerUse } from '../core/types.js';
import type { ExchangeStore, StorageArea } from './store.js';

const KEY = 'bearerUses';
const MAX_USES = 500;

export interface HeaderDetails {
  tabId: number;
  url: string;
  method: string;
  timeStamp: number;
  requestHeaders?: Array<{ name: string; value?: string }>;
}

export class BearerLog {
  private queue: Promise<unknown> = Promise.resolve();
  /** The fingerprints of the stored tokens; derived from the store, rebuilt after it changes (and after a worker restart). */
  private known: Promise<Set<string>> | null = null;

  constructor(
    private readonly area: StorageArea,
    private readonly store: ExchangeStore,
  ) {
    // Whatever source stored a token, the known set is rebuilt on the next request that carries one.
    store.onChange(() => this.invalidate());
  }

  invalidate(): void {
    this.known = null;
  }

  private knownTokens(): Promise<Set<string>> {
    this.known ??= this.store.read().then(({ exchanges }) => {
      const fingerprints = new Set<string>();
      for (const exchange of buildReport(exchanges.map((e) => e.exchange)).exchanges) {
        for (const server of exchange.resourceServers) for (const token of server.tokens) fingerprints.add(token.fingerprint);
      }
      return fingerprints;
    });
    return this.known;
  }

  /** Called for every request on a watched host. */
  seen(details: HeaderDetails): Promise<void> | undefined {
    const header = details.requestHeaders?.find((h) => h.name.toLowerCase() === 'authorization')?.value;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match || (match[1] as string).length > MAX_TOKEN_CHARS) return undefined;
    const use: BearerUse = { url: details.url, method: details.method, fingerprint: fingerprint(match[1] as string), at: new Date(details.timeStamp).toISOString() };
    return this.knownTokens().then((known) => {
      if (!known.has(use.fingerprint)) return;
      this.queue = this.queue.then(async () => {
        const items = await this.area.get([KEY]);
        const uses = Array.isArray(items[KEY]) ? (items[KEY] as BearerUse[]) : [];
        uses.push(use);
        await this.area.set({ [KEY]: uses.slice(-MAX_USES) });
      });
      return this.queue.then(() => undefined);
    });
  }

  async uses(): Promise<BearerUse[]> {
    const items = await this.area.get([KEY]);
    return Array.isArray(items[KEY]) ? (items[KEY] as BearerUse[]) : [];
  }

  async clear(): Promise<void> {
    await this.area.set({ [KEY]: [] });
  }
}
