import type { ImageMediaType } from '../claude-message.ts';

/** What an image's first bytes say it is: its type and its size in pixels. */
export interface ImageHeader {
  mediaType: ImageMediaType;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 0x10000 + u16be(b, at + 2);

function png(b: Uint8Array): ImageHeader | null {
  // The signature, then the IHDR chunk first of all: length, "IHDR", width, height.
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return null;
  return { mediaType: 'image/png', width: u32be(b, 16), height: u32be(b, 20) };
}

function gif(b: Uint8Array): ImageHeader | null {
  if (b.length < 10) return null;
  return { mediaType: 'image/gif', width: u16le(b, 6), height: u16le(b, 8) };
}

function webp(b: Uint8Array): ImageHeader | null {
  if (b.length < 30) return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    // Lossy: a 3-byte frame tag, the start code 9d 01 2a, then 14-bit width and height.
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return { mediaType: 'image/webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // Lossless: the signature 0x2f, then width - 1 and height - 1 in 14 bits each.
    if (b[20] !== 0x2f) return null;
    const width = 1 + (((b[22]! & 0x3f) << 8) | b[21]!);
    const height = 1 + (((b[24]! & 0x0f) << 10) | (b[23]! << 2) | ((b[22]! & 0xc0) >> 6));
    return { mediaType: 'image/webp', width, height };
  }
  if (chunk === 'VP8X') {
    // Extended: the canvas's width - 1 and height - 1, 24 bits each.
    return { mediaType: 'image/webp', width: 1 + u24le(b, 24), height: 1 + u24le(b, 27) };
  }
  return null;
}

// Start-of-frame markers carry the size; C4 (Huffman tables), C8 and CC (arithmetic coding) do not.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpeg(b: Uint8Array): ImageHeader | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (SOF.has(marker)) {
      return { mediaType: 'image/jpeg', width: u16be(b, at + 7), height: u16be(b, at + 5) };
    }
    if (marker === 0xd9 || marker === 0xda) return null; // the image data began without a frame
    at += 2 + u16be(b, at + 2);
  }
  return null;
}

/**
 * The type and size of an image, read from its bytes (never from a name or a declared type), or
 * null when they are not a PNG, JPEG, GIF or WebP whose header gives a size.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  let header: ImageHeader | null = null;
  if (startsWith(bytes, PNG_SIGNATURE)) header = png(bytes);
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) header = jpeg(bytes);
  else if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') header = gif(bytes);
  else if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') header = webp(bytes);
  if (header === null || header.width < 1 || header.height < 1) return null;
  return header;
}
