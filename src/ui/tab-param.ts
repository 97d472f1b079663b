/** `popup.html?tab=ID` and `panel.html?tab=ID`: the tab a view was opened for, if its address names one. */
export function tabFromQuery(search: string): number | null {
  const requested = new URLSearchParams(search).get('tab');
  return requested !== null && /^\d+$/.test(requested) ? Number(requested) : null;
}
