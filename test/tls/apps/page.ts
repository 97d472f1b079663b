// What the TLS tests' app scripts share (bundled into each by esbuild): the settings from <script id="config">, the
// #status line the tests wait on, and buttons that report their failure on that line.

export function readConfig<T>(): T {
  return JSON.parse(document.getElementById('config')?.textContent ?? '{}') as T;
}

export function setStatus(text: string): void {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
}

/** Run `action` on a click of button `#id`; its failure is shown on the status line as `error: …`. */
export function onClick(id: string, action: () => Promise<unknown>): void {
  document.getElementById(id)?.addEventListener('click', () => {
    action().catch((error: unknown) => setStatus(`error: ${error instanceof Error ? error.message : String(error)}`));
  });
}

/** `fetch` that fails on a non-2xx answer. */
export async function call(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status}`);
  return response;
}
