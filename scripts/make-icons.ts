/**
 * Draws Mailroom's two app icons and writes them as PNG files, with no image library:
 * - color.png, 192×192: a white envelope on a blue rounded square;
 * - outline.png, 32×32: the envelope in white on a transparent background.
 * Teams wants exactly these sizes, and an outline that is only white and transparent.
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#app-icons
 *
 * Run: npx tsx scripts/make-icons.ts [outDir]   (default: appPackage)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

export type Rgba = readonly [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes 8-bit RGBA pixels (row by row, 4 bytes each) as a PNG (colour type 6, filter 0 on every row). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, RGBA, deflate, adaptive filtering, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Distance from point p to the segment a–b. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The envelope in unit coordinates (0..1): its outline and flap as line segments. */
const ENVELOPE = { left: 0.16, right: 0.84, top: 0.27, bottom: 0.73, flapY: 0.53 };

const SEGMENTS: readonly (readonly [number, number, number, number])[] = (() => {
  const { left: l, right: r, top: t, bottom: b, flapY } = ENVELOPE;
  return [
    [l, t, r, t],
    [r, t, r, b],
    [r, b, l, b],
    [l, b, l, t],
    [l, t, 0.5, flapY],
    [0.5, flapY, r, t],
  ] as const;
})();

function onEnvelopeStroke(u: number, v: number, stroke: number): boolean {
  for (const [ax, ay, bx, by] of SEGMENTS) if (segmentDistance(u, v, ax, ay, bx, by) <= stroke / 2) return true;
  return false;
}

function insideEnvelope(u: number, v: number): boolean {
  return u >= ENVELOPE.left && u <= ENVELOPE.right && v >= ENVELOPE.top && v <= ENVELOPE.bottom;
}

function insideRoundedSquare(u: number, v: number, radius: number): boolean {
  const cx = Math.min(Math.max(u, radius), 1 - radius);
  const cy = Math.min(Math.max(v, radius), 1 - radius);
  return Math.hypot(u - cx, v - cy) <= radius;
}

const BLUE: Rgba = [15, 108, 189, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** 192×192: the colour icon, 4×4 supersampled so its edges are smooth. */
export function drawColorIcon(size = 192): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const u = (x + (sx + 0.5) / n) / size;
          const v = (y + (sy + 0.5) / n) / size;
          let c: Rgba = CLEAR;
          if (insideRoundedSquare(u, v, 0.18)) c = BLUE;
          if (insideEnvelope(u, v)) c = WHITE;
          if (onEnvelopeStroke(u, v, 0.035)) c = BLUE;
          for (let i = 0; i < 4; i++) sum[i] = (sum[i] ?? 0) + (c[i] ?? 0);
        }
      }
      const alpha = (sum[3] ?? 0) / (n * n);
      const o = (y * size + x) * 4;
      // Colour channels are averaged over the opaque samples only, so edges do not darken.
      const opaque = alpha === 0 ? 1 : (sum[3] ?? 0) / 255;
      for (let i = 0; i < 3; i++) out[o + i] = Math.round((sum[i] ?? 0) / opaque);
      out[o + 3] = Math.round(alpha);
    }
  }
  return out;
}

/** 32×32: the outline icon. Every pixel is fully white or fully transparent, as Teams requires. */
export function drawOutlineIcon(size = 32): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = onEnvelopeStroke((x + 0.5) / size, (y + 0.5) / size, 2 / size) ? WHITE : CLEAR;
      out.set(c, (y * size + x) * 4);
    }
  }
  return out;
}

export function writeIcons(outDir: string): { color: string; outline: string } {
  mkdirSync(outDir, { recursive: true });
  const color = join(outDir, 'color.png');
  const outline = join(outDir, 'outline.png');
  writeFileSync(color, encodePng(192, 192, drawColorIcon(192)));
  writeFileSync(outline, encodePng(32, 32, drawOutlineIcon(32)));
  return { color, outline };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = writeIcons(resolve(process.argv[2] ?? 'appPackage'));
  console.log(`wrote ${written.color} and ${written.outline}`);
}
