// Draws media/icon.png (128×128, RGBA) with Node's built-ins only: three nodes' leader lanes on a dark
// tile, two of them leader at once under a red overlap band — the split brain Quorum Lens finds.
// Run: node media/makeIcon.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const SIZE = 128;
const SS = 4; // supersampling per axis, for smooth edges

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.max(x0 + r, Math.min(x, x1 - r));
  const cy = Math.max(y0 + r, Math.min(y, y1 - r));
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

// Shapes, back to front: [test(x, y), colour, alpha].
const shapes = [
  [(x, y) => inRoundRect(x, y, 4, 4, 124, 124, 24), hex('#1b2a3a'), 1],
  // The overlap band behind the lanes.
  [(x, y) => inRoundRect(x, y, 58, 18, 84, 110, 6), hex('#f14c4c'), 0.35],
  // Lane guides.
  ...[36, 64, 92].map((cy) => [(x, y) => x >= 16 && x <= 112 && Math.abs(y - cy) <= 1, hex('#5a6b7d'), 1]),
  // Leader intervals: node 1 early, node 2 late, overlapping in the band; node 3 a short term elsewhere.
  [(x, y) => inRoundRect(x, y, 16, 28, 84, 44, 8), hex('#3794ff'), 1],
  [(x, y) => inRoundRect(x, y, 58, 56, 112, 72, 8), hex('#89d185'), 1],
  [(x, y) => inRoundRect(x, y, 16, 84, 44, 100, 8), hex('#b180d7'), 1],
];

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const x = px + (sx + 0.5) / SS;
        const y = py + (sy + 0.5) / SS;
        let c = [0, 0, 0];
        let alpha = 0;
        for (const [inside, colour, op] of shapes) {
          if (!inside(x, y)) continue;
          c = c.map((v, i) => v * (1 - op) + colour[i] * op);
          alpha = alpha + op * (1 - alpha);
        }
        r += c[0] * alpha;
        g += c[1] * alpha;
        b += c[2] * alpha;
        a += alpha;
      }
    }
    const o = (py * SIZE + px) * 4;
    const n = SS * SS;
    rgba[o + 3] = Math.round((a / n) * 255);
    // Store straight (not premultiplied) colour.
    rgba[o] = a ? Math.round(r / a) : 0;
    rgba[o + 1] = a ? Math.round(g / a) : 0;
    rgba[o + 2] = a ? Math.round(b / a) : 0;
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4); // filter 0 per row
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
fs.writeFileSync(out, png);
console.log(`${out}: ${png.length} bytes`);
