/**
 * One sign-in as a picture: requested scopes -> resource servers -> tokens, an inline SVG drawn by
 * Preact. A requested scope no token carries and a server asked for that got no token are red; a
 * token that reaches another server gets a red line to it and the rule on its box; opaque access
 * tokens say their audience cannot be checked. Every label is SVG text (never markup), elided in
 * the middle; the full name is each box's `aria-label`, shown on hover and focus in the one caption
 * under the map (one handler on the drawing, not a `<title>` and four listeners per box: the first
 * screen of a popup with 200 exchanges drew ~110 elements for its map). The table beneath is the
 * same map in rows, for screen readers and for copying.
 */
import { useId, useState } from 'preact/hooks';
import type { MapReach, MapServer, MapToken, TokenMap } from '../../core/analysis/token-map.js';
import { clipText } from '../format.js';
import { COLUMNS, capMap, curve, layoutMap, MAP_WIDTH } from '../map-layout.js';
import { LIST_SHOWN } from '../components/capped.js';
import { MapTable } from './sign-in-map-table.js';

const BOX_H = 20;

function Node(props: {
  x: number;
  y: number;
  width: number;
  label: string;
  full: string;
  class: string;
  second?: { text: string; class: string } | undefined;
}) {
  const { x, y, width, label, full, second } = props;
  return (
    // `tabindex` in lower case: Preact sets an SVG element's props as attributes, and `tabIndex` is not one in SVG.
    // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG box with a name, focusable so a keyboard user reads its full label.
    <g class={`map-node ${props.class}`} tabindex={0} role="img" aria-label={full}>
      <rect x={x} y={y} width={width} height={second ? BOX_H + 12 : BOX_H} rx={4} />
      <text x={x + 6} y={y + 14}>
        {label}
      </text>
      {second ? (
        <text x={x + 6} y={y + 27} class={second.class}>
          {second.text}
        </text>
      ) : null}
    </g>
  );
}

/** The full name of the box an event happened in (its `aria-label`), or null outside every box. */
function boxName(event: Event): string | null {
  const node = event.target instanceof Element ? event.target.closest('.map-node') : null;
  return node?.getAttribute('aria-label') ?? null;
}

function serverSentence(server: MapServer): string {
  if (server.outside) return `${server.id}: not a server of this sign-in, reached by a token`;
  if (server.client) return `${server.id}: the client, its ID tokens filed under it`;
  const aliases = server.aliases?.length ? ` (aud ${server.aliases.join(', ')})` : '';
  const rights = server.rights
    ? [
        server.rights.granted.length ? `; authorization details granted: ${server.rights.granted.join('; ')}` : '',
        server.rights.dropped.length ? `; not granted: ${server.rights.dropped.join('; ')}` : '',
        server.rights.added.length ? `; not requested: ${server.rights.added.join('; ')}` : '',
      ].join('')
    : '';
  return `${server.id}${aliases}: resource server${server.hasToken ? '' : ', asked for, no token issued'}${rights}`;
}

/** A server's second line: its authorization details, a right not granted first (the map's alarm, like a scope). */
function serverSecondLine(server: MapServer): { text: string; class: string } | undefined {
  const rights = server.rights;
  if (!rights) return undefined;
  // Within the server column's 23 characters (map-layout.ts COLUMNS) at any count; the box's title says which rights.
  const rightsWord = (n: number) => (n < 100 ? `${n} right${n === 1 ? '' : 's'}` : `${n}`);
  const { counts } = rights;
  if (counts.dropped) return { text: `✗ ${rightsWord(counts.dropped)} not granted`, class: 'map-rule' };
  if (counts.added) return { text: `+ ${rightsWord(counts.added)} added`, class: 'map-rule' };
  return { text: `${counts.granted} RAR detail${counts.granted === 1 ? '' : 's'}`, class: 'map-unverifiable' };
}

function tokenSentence(token: MapToken, reaches: MapReach[]): string {
  const parts = [`${token.kind} token (${token.format}) for ${token.server}, ${token.fingerprint}`];
  if (!token.verifiable && token.kind === 'access') parts.push('audience cannot be checked here (opaque)');
  for (const reach of reaches) parts.push(`also reaches ${reach.server} (${reach.rule}, ${reach.severity})`);
  return parts.join('; ');
}

function tokenSecondLine(token: MapToken, reaches: MapReach[]): { text: string; class: string } | undefined {
  const first = reaches[0];
  if (first) return { text: first.rule, class: 'map-rule' };
  if (!token.verifiable && token.kind === 'access') return { text: 'unverifiable audience', class: 'map-unverifiable' };
  return undefined;
}

function Lines({ layout, arrow }: { layout: ReturnType<typeof layoutMap>; arrow: string }) {
  return (
    <g class="map-lines">
      {layout.links.map((link, index) => (
        <path key={`l${index}`} class={link.missing ? 'map-link missing' : 'map-link'} d={curve(link.from, link.to)} />
      ))}
      {layout.reaches.map((placed, index) => (
        <path key={`r${index}`} class="map-reach" d={curve(placed.from, placed.to)} marker-end={`url(#${arrow})`} />
      ))}
    </g>
  );
}

function Headings() {
  return (
    <g class="map-heading">
      <text x={COLUMNS.scope.x} y={12}>
        Requested scopes
      </text>
      <text x={COLUMNS.server.x} y={12}>
        Resource servers
      </text>
      <text x={COLUMNS.token.x} y={12}>
        Tokens
      </text>
    </g>
  );
}

/** The boxes left out of a long map, a click away. */
function MoreBoxes({ hidden, showAll }: { hidden: number; showAll: () => void }) {
  return (
    <p class="more">
      <button type="button" class="link more-items" onClick={showAll}>
        and {hidden.toLocaleString('en-US')} more
      </button>{' '}
      boxes (scopes, servers, tokens) not drawn
    </p>
  );
}

/** The map of one sign-in, with its text alternative. */
export function SignInMap({ map: whole, label }: { map: TokenMap; label: string }) {
  const [focused, setFocused] = useState<string | null>(null);
  // One handler for every box: hover and keyboard focus show the box's full name in the caption.
  const show = (event: Event) => setFocused(boxName(event));
  const hide = () => setFocused(null);
  const [all, setAll] = useState(false);
  const arrow = `map-arrow-${useId()}`;
  // Each column's first boxes, the rest a click away: a sign-in of 10,000 scopes must not draw 10,000 boxes at once.
  const { map, hidden } = all ? { map: whole, hidden: 0 } : capMap(whole, LIST_SHOWN);
  const layout = layoutMap(map);
  const reachesOf = (token: MapToken) => map.reaches.filter((reach) => reach.token === token.fingerprint);
  return (
    // The handlers sit on the figure, not the SVG: Chromium makes an SVG element with focus listeners a tab stop itself.
    // biome-ignore lint/a11y/useKeyWithMouseEvents: keyboard focus is followed too, in the capture phase (focus does not bubble).
    <figure class="map" onMouseOver={show} onMouseLeave={hide} onFocusCapture={show} onBlurCapture={hide}>
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG drawing groups its boxes with role=group; a fieldset cannot live in SVG. */}
      <svg
        viewBox={`0 0 ${MAP_WIDTH} ${layout.height}`}
        width="100%"
        role="group"
        aria-label={label}
        class="map-svg"
        style={{ maxWidth: `${MAP_WIDTH}px` }}
      >
        <defs>
          <marker id={arrow} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" class="map-arrow" />
          </marker>
        </defs>
        <Headings />
        <Lines layout={layout} arrow={arrow} />
        {layout.scopes.map(({ item, y, label: shown }) => (
          <Node
            key={`s-${item.scope}`}
            x={COLUMNS.scope.x}
            y={y}
            width={COLUMNS.scope.width}
            label={shown}
            full={clipText(`${item.scope}${item.granted ? '' : ': requested, no token carries it'}`, 600)}
            class={item.granted ? 'map-scope' : 'map-scope missing'}
          />
        ))}
        {layout.servers.map(({ item, y, label: shown }) => (
          <Node
            key={`v-${item.id}`}
            x={COLUMNS.server.x}
            y={y}
            width={COLUMNS.server.width}
            label={shown}
            full={clipText(serverSentence(item), 900)}
            second={serverSecondLine(item)}
            class={`map-server${item.hasToken ? '' : ' no-token'}${item.outside ? ' outside' : ''}${item.client ? ' client' : ''}`}
          />
        ))}
        {layout.tokens.map(({ item, y, label: shown }) => (
          <Node
            key={`t-${item.fingerprint}`}
            x={COLUMNS.token.x}
            y={y}
            width={COLUMNS.token.width}
            label={shown}
            full={clipText(tokenSentence(item, reachesOf(item)), 900)}
            class={`map-token${reachesOf(item).length ? ' reaches' : ''}`}
            second={tokenSecondLine(item, reachesOf(item))}
          />
        ))}
      </svg>
      <figcaption class="map-caption" aria-hidden="true">
        {focused ?? '\u00a0'}
      </figcaption>
      {hidden > 0 ? <MoreBoxes hidden={hidden} showAll={() => setAll(true)} /> : null}
      <MapTable map={whole} />
    </figure>
  );
}
