/**
 * The relay's captures over one long-lived port per document (`runtime.connect`, name CAPTURE_PORT) instead of one
 * `runtime.sendMessage` each. A one-shot message opens and closes a channel through the browser process every time;
 * in the page-overhead benchmark that alone made 200 sequential token requests on a watched page ~1.4x as long as on
 * an unwatched one even with a worker that did nothing (a port: ~1.1-1.3x). Each message carries an id; the worker
 * answers `{ id, reply }` once the handler is done (after the write, as before), so the relay's acknowledgement and
 * resend (content/delivery.ts) are unchanged: a port that disconnects (the worker stopped) leaves its unanswered
 * captures to be sent again on a new port. Only page messages go this way; the sender is checked exactly as for
 * `onMessage` (dispatch.ts), from the port's own sender, never from the message.
 */
import type { Runtime } from 'webextension-polyfill';
import { CAPTURE_PORT } from '../protocol/channel.js';
import type { WorkerDeps } from './deps.js';
import { handleMessage } from './dispatch.js';

export function acceptCapturePort(deps: WorkerDeps, port: Runtime.Port): void {
  if (port.name !== CAPTURE_PORT || !port.sender) return;
  const sender = port.sender;
  let open = true;
  port.onDisconnect.addListener(() => {
    open = false;
  });
  port.onMessage.addListener((data: unknown) => {
    if (typeof data !== 'object' || data === null) return;
    const { id, message } = data as { id?: unknown; message?: unknown };
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return;
    const answer = handleMessage(deps, message, sender);
    void Promise.resolve(answer)
      .catch(() => undefined)
      .then((reply) => {
        if (!open) return; // The document went away; it cannot hear the answer (nor resend).
        try {
          port.postMessage({ id, reply: reply ?? null });
        } catch {
          // Disconnected meanwhile.
        }
      });
  });
}
