#!/usr/bin/env node
/**
 * Draws the Tokenscope icon (a lens over a token) at 16, 32, 48 and 128 px into
 * extension/icons/. Run once when the icon changes; the PNGs are committed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { ROOT } from './lib/project.mjs';

/** A PNG chunk: length, type, data, CRC-32. */
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Blue rounded square; a white lens ring; a red bar (the token that goes too far) through it. */
function pixel(x, y, size) {
  const u = x / size;
  const v = y / size;
  const r = 0.18;
  const dx = Math.max(0, Math.abs(u - 0.5) - (0.5 - r));
  const dy = Math.max(0, Math.abs(v - 0.5) - (0.5 - r));
  if (Math.hypot(dx, dy) > r) return [0, 0, 0, 0];
  const d = Math.hypot(u - 0.44, v - 0.44);
  if (d > 0.2 && d < 0.29) return [255, 255, 255, 255];
  if (u > 0.6 && v > 0.6 && Math.abs(u - v) < 0.09 && u < 0.84) return [255, 255, 255, 255];
  if (d <= 0.2 && Math.abs(v - 0.44) < 0.05) return [255, 120, 110, 255];
  return [26, 86, 196, 255];
}

for (const size of [16, 32, 48, 128]) writeFileSync(join(ROOT, `extension/icons/icon-${size}.png`), png(size, pixel));
console.log('icons written');
