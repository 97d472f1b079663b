/** How much of a tab's store a view asks for at first: a leaf, so the popup's boot script stays a few hundred bytes. */
import { STORE_LIMITS } from '../core/limits.js';

/** Exchanges rendered at first; older ones on request ("Show older"): the popup must open fast on a full store. */
export const FIRST_SHOWN = 8;
/** The DevTools panel lists every exchange the store keeps for a tab (its list is the point); an imported file pages on. */
export const PANEL_SHOWN = STORE_LIMITS.exchanges;
