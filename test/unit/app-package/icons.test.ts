import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawColorIcon, drawOutlineIcon, encodePng } from '../../../scripts/make-icons.js';
import { decodePng } from './decode-png.js';

const root = join(import.meta.dirname, '../../..');
const read = (name: string) => decodePng(readFileSync(join(root, 'appPackage', name)));
const alphaAt = (png: { width: number; rgba: Uint8Array }, x: number, y: number) =>
  png.rgba[(y * png.width + x) * 4 + 3];

describe('app icons', () => {
  it('color.png is a 192×192 RGBA image, opaque in the middle', () => {
    const png = read('color.png');
    expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([192, 192, 8, 6]);
    expect(alphaAt(png, 96, 96)).toBe(255);
  });

  it('outline.png is 32×32, only white and fully transparent pixels, with the mark drawn', () => {
    const png = read('outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    let drawn = 0;
    const offending: string[] = [];
    for (let i = 0; i < png.rgba.length; i += 4) {
      const [r, g, b, a] = [png.rgba[i], png.rgba[i + 1], png.rgba[i + 2], png.rgba[i + 3]];
      if (a === 255 && r === 255 && g === 255 && b === 255) drawn++;
      else if (a !== 0) offending.push(`pixel ${i / 4}: rgba(${r},${g},${b},${a})`);
    }
    expect(offending).toEqual([]);
    expect(drawn).toBeGreaterThan(50);
    expect(drawn).toBeLessThan((32 * 32) / 2);
    expect(alphaAt(png, 0, 0)).toBe(0);
  });

  it('the committed icons are what scripts/make-icons.ts draws', () => {
    expect(Buffer.from(read('color.png').rgba).equals(Buffer.from(drawColorIcon(192)))).toBe(true);
    expect(Buffer.from(read('outline.png').rgba).equals(Buffer.from(drawOutlineIcon(32)))).toBe(true);
  });

  it('the encoder round-trips pixels through a PNG reader', () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const png = decodePng(encodePng(3, 2, pixels));
    expect([png.width, png.height]).toEqual([3, 2]);
    expect([...png.rgba]).toEqual([...pixels]);
  });
});
