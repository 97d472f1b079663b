/** What start.mjs drives in either browser (chromium.mjs, firefox.mjs). */
import type { PopupRead } from './popup-read.mjs';

export interface DemoSession {
  browserName: string;
  extensionId: string;
  /** Wait until the extension watches the demo site, then load the app. */
  openApp(url: string): Promise<void>;
  /** Call `callback` when the user closes the last window. */
  onWindowsClosed(callback: () => void): void;
  /** Click "Sign in" (and "Allow"), and return the app's status line. */
  signIn(autoApprove: boolean): Promise<string>;
  /** Open the popup for the app's tab. */
  openPopup(appOrigin: string): Promise<void>;
  readPopup(): Promise<PopupRead>;
  /** A PNG of the whole popup. */
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}
