// @ts-check
/**
 * What the demo checks in the popup and prints, the same in Chromium and Firefox: the popup's DOM read by one
 * function run inside it (DOM text, not innerText: cards below the first screen are `content-visibility: auto`).
 */
import { IDENTITY_SERVER, RESOURCE_SERVERS } from './servers.mjs';

/**
 * @typedef {{ summary: string | null, exchanges: number, servers: string[], rsIds: string[],
 *   findings: Array<{ severity: string, rule: string, message: string }>,
 *   highMessages: string[], signIns: Array<{ heading: string, result: string, asked: string }> }} PopupRead
 */

/** Runs inside the popup (serialized: uses nothing from this module). @returns {PopupRead} */
export function readPopupDom() {
  const text = (/** @type {Element | null | undefined} */ element) => element?.textContent?.trim() ?? '';
  const all = (/** @type {string} */ selector) => [...document.querySelectorAll(selector)];
  return {
    summary: document.querySelector('p.summary') ? text(document.querySelector('p.summary')) : null,
    exchanges: all('article.exchange').length,
    // The client's block (its ID tokens) is no resource server.
    servers: all('article.exchange section.rs:not([aria-label^="Client "]) .rs-id .rs-name').map((element) => text(element)),
    rsIds: all('article.exchange .rs-id').map((element) => text(element)),
    findings: all('article.exchange .finding').map((item) => ({
      severity: text(item.querySelector('.pill')) || '?',
      rule: text(item.querySelector('.rule a')) || '?',
      message: text(item.querySelector('.message')),
    })),
    highMessages: all('.finding.sev-high .message').map((element) => text(element)),
    signIns: all('section.sign-in').map((item) => ({
      heading: text(item.querySelector('h2')),
      result: text(item.querySelector('.sign-in-result')),
      asked: text(item.querySelector('p.muted')),
    })),
  };
}

/** What the popup should show and does not (empty when all is there). @param {PopupRead} read @returns {string[]} */
export function missingFrom(read) {
  /** @type {string[]} */
  const missing = [];
  if (read.exchanges === 0) return ['the captured exchange'];
  for (const id of [IDENTITY_SERVER, ...RESOURCE_SERVERS.map((rs) => rs.id)])
    if (!read.rsIds.some((shown) => shown.includes(id))) missing.push(`resource server ${id}`);
  const misconfigured = RESOURCE_SERVERS.find((rs) => rs.extraAudience);
  if (
    misconfigured &&
    !read.highMessages.some((message) => message.includes(misconfigured.id) && message.includes(misconfigured.extraAudience ?? ''))
  )
    missing.push(`the high audience finding for ${misconfigured.id}`);
  return missing;
}

/** The popup as text, for the terminal. @param {PopupRead} read @returns {string} */
export function describePopup(read) {
  const lines = [`Tokenscope popup for the app's tab${read.summary ? `: ${read.summary}` : ''}`];
  for (const signIn of read.signIns) {
    lines.push(`  ${signIn.heading}`);
    if (signIn.asked) lines.push(`    ${signIn.asked}`);
    if (signIn.result) lines.push(`    ${signIn.result}`);
  }
  lines.push(`  resource servers: ${read.servers.length ? [...new Set(read.servers)].join(', ') : '(none)'}`);
  lines.push(`  findings:${read.findings.length ? '' : ' (none)'}`);
  for (const finding of read.findings) lines.push(`    [${finding.severity}] ${finding.rule}: ${finding.message}`);
  return lines.join('\n');
}
