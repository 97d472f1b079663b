/** Names and values from data (claims, evidence) as a two-column table: names clipped as text, each value as `renderValue` draws it. */
import type { ComponentChildren } from 'preact';
import { Clip } from './clip.js';

export function NameValueTable({
  entries,
  limit,
  renderValue,
}: {
  entries: Record<string, unknown>;
  /** At most this many rows: data may hold thousands. */
  limit: number;
  renderValue: (name: string, value: unknown) => ComponentChildren;
}) {
  return (
    <table class="claims">
      <tbody>
        {Object.entries(entries)
          .slice(0, limit)
          .map(([name, value]) => (
            <tr key={name}>
              <th scope="row">
                <Clip text={name} max={80} />
              </th>
              <td>{renderValue(name, value)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
