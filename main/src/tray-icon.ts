import { deflateSync } from 'node:zlib';
import type { HealthTone } from '../../sync-engine/src/api/index.js';

/**
 * Tray icons drawn in code: a filled disc in the health state's colour, as an
 * RGBA PNG. No image files to ship or keep in step with the states.
 */
export type Rgb = readonly [number, number, number];

/** The window's `--<tone>-line` colours (renderer/src/styles/frame.css; a test keeps them equal). */
export const TONE_COLOURS: Readonly<Record<HealthTone, Rgb>> = {
  ok: [0x2e, 0x8b, 0x57], // green
  warn: [0xb7, 0x86, 0x0b], // amber
  danger: [0xc5, 0x30, 0x30], // red
  neutral: [0x7a, 0x85, 0x91], // grey
};

/** A disc of the colour on a transparent square, with a darker rim so it reads on light and dark trays. */
export function trayIconPng(colour: Rgb, size: number): Buffer {
  const rim: Rgb = [Math.round(colour[0] * 0.6), Math.round(colour[1] * 0.6), Math.round(colour[2] * 0.6)];
  const centre = (size - 1) / 2;
  const radius = size * 0.44;
  const rimWidth = Math.max(1, size / 16);
  const rowBytes = 1 + size * 4;
  const raw = Buffer.alloc(rowBytes * size);
  for (let y = 0; y < size; y++) {
    raw[y * rowBytes] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      const coverage = Math.min(1, Math.max(0, radius + 0.5 - distance));
      const [r, g, b] = distance > radius - rimWidth ? rim : colour;
      const at = y * rowBytes + 1 + x * 4;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
      raw[at + 3] = Math.round(coverage * 255);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, crc]);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG defines it (node:zlib's crc32 arrives only in Node 20.15). */
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
