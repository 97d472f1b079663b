// What the OIDC test server's browser-side apps (oidc-app.ts, oauth4-app.ts, axa-app.ts) share: their settings, read from the JSON
// in <script id="config">, and the #status line the tests wait on. Bundled into each app by esbuild at server start.

/** The settings every app gets; an app may have more (`implicitClientId`). */
export interface AppConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  resource: string;
  scope: string;
}

export function readConfig<T extends AppConfig = AppConfig>(): T {
  return JSON.parse(document.getElementById('config')?.textContent ?? '{}') as T;
}

const statusEl = document.getElementById('status') as HTMLPreElement;

export function setStatus(text: string): void {
  statusEl.textContent = text;
}

/** The status line as it reads now. */
export function status(): string {
  return statusEl.textContent ?? '';
}
