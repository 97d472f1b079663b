/**
 * The benchmarks' text tables: a row is its label left-aligned in `labelWidth` columns, then each figure
 * right-aligned in `cellWidth`.
 * @param {number} labelWidth
 * @param {number} cellWidth
 * @returns {(cells: unknown[]) => string}
 */
export function tableRow(labelWidth, cellWidth) {
  return (cells) =>
    `  ${String(cells[0]).padEnd(labelWidth)}${cells
      .slice(1)
      .map((cell) => String(cell).padStart(cellWidth))
      .join('')}`;
}
