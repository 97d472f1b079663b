/**
 * Byte offsets inside an entry that was decoded to be parsed. JSON.parse names a fault by its UTF-16
 * unit in the decoded text, where TextDecoder put one U+FFFD for each run of bytes that are not UTF-8
 * (standing for 1 to 3 bytes of the file); this walks the bytes as the decoder does to find the
 * file's own byte for that unit. Everything else the reader reports is found on the bytes themselves.
 */

/**
 * The byte of `bytes` where the UTF-16 unit `unit` of their decoding starts (the WHATWG UTF-8 decoder:
 * a maximal subpart of a bad sequence is one U+FFFD, and the byte that broke it is read again; a
 * 4-byte character is two units). Past the end: `bytes.length`.
 */
export function byteOfUnit(bytes: Uint8Array, unit: number): number {
  let i = 0;
  let units = 0;
  while (i < bytes.length && units < unit) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      units++;
      continue;
    }
    let need = 0;
    let lower = 0x80;
    let upper = 0xbf;
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
      i += seen;
      units++;
    } else {
      i += need + 1;
      units += need === 3 ? 2 : 1;
    }
  }
  return i;
}
