/**
 * Where the sign-in map's boxes and lines go: three columns (scopes, resource servers, tokens) in a
 * fixed 560-unit-wide drawing that the SVG scales to its box, so it reads the same at popup width
 * (600 px) and in the panel. Pure: no DOM, no Preact; the analysis is the core's `tokenMap`.
 */
import type { MapReach, MapScope, MapServer, MapToken, TokenMap } from '../core/analysis/token-map.js';

export const MAP_WIDTH = 560;
const TOP = 22;
const ROW = 26;
const TOKEN_ROW = 36;
const BOX_H = 20;

/** Column geometry: left edge, width, and how many characters of a label fit: labels are
 * monospace at 10.5 px (at most 0.602 em a character in the common monospace fonts, 6.3 px), so a
 * count of characters is a width; a proportional font made wide glyphs (`m`, `w`, `x`) overflow. */
export const COLUMNS = {
  scope: { x: 0, width: 178, chars: 26 },
  server: { x: 214, width: 160, chars: 23 },
  token: { x: 410, width: 150, chars: 21 },
} as const;

export interface Placed<T> {
  item: T;
  y: number;
  label: string;
}

export interface MapLayout {
  height: number;
  scopes: Placed<MapScope>[];
  servers: Placed<MapServer>[];
  tokens: Placed<MapToken>[];
  /** Scope to server, server to token: the lines the sign-in should have. */
  links: Array<{ from: { x: number; y: number }; to: { x: number; y: number }; missing: boolean }>;
  /** A token reaching a server it was not issued for: the red lines. */
  reaches: Array<{ reach: MapReach; from: { x: number; y: number }; to: { x: number; y: number } }>;
}

/**
 * A label that fits `chars` characters, its start elided: a scope's server and name are at its end
 * (`…transfer.api.globus.org:all`, `…graph.microsoft.com/User.Read`), its common prefix at its start.
 */
export function elide(text: string, chars: number): string {
  return text.length <= chars ? text : `…${text.slice(text.length - (chars - 1))}`;
}

function column<T>(items: readonly T[], row: number, height: number, label: (item: T) => string): Placed<T>[] {
  const top = TOP + (height - TOP - items.length * row) / 2;
  return items.map((item, index) => ({ item, y: top + index * row, label: label(item) }));
}

/**
 * The map with each column cut to its first `cap` boxes (lines and reaches only between boxes drawn), and how many
 * boxes were left out: a sign-in with 10,000 scopes draws 50 and says the rest.
 */
export function capMap(map: TokenMap, cap: number): { map: TokenMap; hidden: number } {
  const hidden = Math.max(0, map.scopes.length - cap) + Math.max(0, map.servers.length - cap) + Math.max(0, map.tokens.length - cap);
  if (hidden === 0) return { map, hidden };
  const tokens = map.tokens.slice(0, cap);
  const drawn = new Set(tokens.map((token) => token.fingerprint));
  return {
    map: {
      ...map,
      scopes: map.scopes.slice(0, cap),
      servers: map.servers.slice(0, cap),
      tokens,
      reaches: map.reaches.filter((reach) => drawn.has(reach.token)),
    },
    hidden,
  };
}

/** The map laid out: each column centred on the tallest. */
export function layoutMap(map: TokenMap): MapLayout {
  // A server with authorization details has a second line (its rights), as a token with a finding does.
  const serverRow = map.servers.some((server) => server.rights) ? TOKEN_ROW : ROW;
  const height = TOP + Math.max(map.scopes.length * ROW, map.servers.length * serverRow, map.tokens.length * TOKEN_ROW, ROW) + 4;
  // A scope no token carries is marked with a cross, which takes two of its characters.
  const scopes = column(map.scopes, ROW, height, (scope) =>
    scope.granted ? elide(scope.scope, COLUMNS.scope.chars) : `✗ ${elide(scope.scope, COLUMNS.scope.chars - 2)}`,
  );
  // A URL's scheme says nothing in a label: `api.example.test` reads better than `…tps://api.example.test` (the full id is in the title).
  const servers = column(map.servers, serverRow, height, (server) => elide(server.id.replace(/^https?:\/\//i, ''), COLUMNS.server.chars));
  const tokens = column(map.tokens, TOKEN_ROW, height, (token) => `${token.kind} · ${token.format}`);
  // The first box of each id, as a search from the top would find it.
  const serverYs = new Map<string, number>();
  for (const placed of servers) if (!serverYs.has(placed.item.id)) serverYs.set(placed.item.id, placed.y);
  const serverY = (id: string | null) => (id === null ? undefined : serverYs.get(id));
  const mid = BOX_H / 2;
  const links: MapLayout['links'] = [];
  for (const placed of scopes) {
    const y = serverY(placed.item.server);
    if (y === undefined) continue;
    links.push({
      from: { x: COLUMNS.scope.x + COLUMNS.scope.width, y: placed.y + mid },
      to: { x: COLUMNS.server.x, y: y + mid },
      missing: !placed.item.granted,
    });
  }
  for (const placed of tokens) {
    const y = serverY(placed.item.server);
    if (y === undefined) continue;
    links.push({
      from: { x: COLUMNS.server.x + COLUMNS.server.width, y: y + mid },
      to: { x: COLUMNS.token.x, y: placed.y + mid },
      missing: false,
    });
  }
  const reaches: MapLayout['reaches'] = [];
  const tokenAt = new Map<string, Placed<MapToken>>();
  for (const placed of tokens) if (!tokenAt.has(placed.item.fingerprint)) tokenAt.set(placed.item.fingerprint, placed);
  for (const reach of map.reaches) {
    const token = tokenAt.get(reach.token);
    const y = serverY(reach.server);
    if (!token || y === undefined) continue;
    reaches.push({
      reach,
      from: { x: COLUMNS.token.x, y: token.y + mid + 4 },
      to: { x: COLUMNS.server.x + COLUMNS.server.width, y: y + mid + 4 },
    });
  }
  return { height, scopes, servers, tokens, links, reaches };
}

/** A smooth horizontal S-curve between two points, as an SVG path. */
export function curve(from: { x: number; y: number }, to: { x: number; y: number }): string {
  const bend = (to.x - from.x) / 2;
  return `M${from.x},${from.y} C${from.x + bend},${from.y} ${to.x - bend},${to.y} ${to.x},${to.y}`;
}
