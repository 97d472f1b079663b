/**
 * Byte offsets after bytes that are not UTF-8. The reader counts a fault's offset in the text it decoded,
 * where TextDecoder put one U+FFFD (3 bytes in UTF-8) for each run of bad bytes, which stood for 1 to 3
 * bytes of the file. This remembers, for each such U+FFFD, how many bytes fewer the file had there, so an
 * offset names the file's own byte. Only a chunk whose text holds U+FFFD is walked again.
 */

/**
 * The replacements TextDecoder makes for `bytes` (the WHATWG UTF-8 decoder: a maximal subpart of a bad
 * sequence is one U+FFFD, and the byte that broke it is read again), as [unit index in the text, bytes it
 * stood for]. A U+FFFD written in the file (EF BF BD) is not one of them.
 */
function replacementsIn(bytes: Uint8Array): [unit: number, bytes: number][] {
  const found: [number, number][] = [];
  let i = 0;
  let unit = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    let need = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (lead < 0x80) {
      i++;
      unit++;
      continue;
    }
    if (lead >= 0xc2 && lead <= 0xdf) need = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      if (lead === 0xe0) lower = 0xa0;
      if (lead === 0xed) upper = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      if (lead === 0xf0) lower = 0x90;
      if (lead === 0xf4) upper = 0x8f;
    }
    let seen = 1;
    while (seen <= need) {
      const next = bytes[i + seen];
      if (next === undefined || next < lower || next > upper) break;
      lower = 0x80;
      upper = 0xbf;
      seen++;
    }
    if (need === 0 || seen <= need) {
      found.push([unit, seen]);
      i += seen;
      unit++;
    } else {
      i += need + 1;
      unit += need === 3 ? 2 : 1;
    }
  }
  return found;
}

export class Replacements {
  /** Unit index (counted over everything decoded) of each replacement, ascending, and the bytes it lacks against 3. */
  private units: number[] = [];
  private deficits: number[] = [];

  /** `text` was decoded from `bytes` and starts at unit `firstUnit`. */
  record(bytes: () => Uint8Array, text: string, firstUnit: number): void {
    if (!text.includes('\ufffd')) return;
    for (const [unit, stood] of replacementsIn(bytes())) {
      if (stood >= 3) continue;
      this.units.push(firstUnit + unit);
      this.deficits.push(3 - stood);
    }
  }

  /** How many bytes the file had fewer than the UTF-8 of the decoded text, between units `from` and `to`. */
  deficit(from: number, to: number): number {
    let total = 0;
    for (let k = 0; k < this.units.length; k++) {
      const unit = this.units[k] as number;
      if (unit >= to) break;
      if (unit >= from) total += this.deficits[k] as number;
    }
    return total;
  }

  /** Replacements before `unit` are never asked about again. */
  forget(unit: number): void {
    let keep = 0;
    while (keep < this.units.length && (this.units[keep] as number) < unit) keep++;
    if (keep === 0) return;
    this.units = this.units.slice(keep);
    this.deficits = this.deficits.slice(keep);
  }
}
