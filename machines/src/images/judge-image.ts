import { type ImageHeader, readImageHeader } from './image-header.ts';
import { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE } from './image-limits.ts';

export type ImageVerdict = { ok: true; header: ImageHeader } | { ok: false; reason: string };

const MB = 1024 * 1024;

/**
 * Whether Claude would take these bytes as an image, judged by what they are (their header), not
 * by what they are called: a PNG, JPEG, GIF or WebP of at most MAX_IMAGE_BYTES and
 * MAX_IMAGE_SIDE pixels a side. The reason is a sentence for the person.
 */
export function judgeImage(bytes: Uint8Array): ImageVerdict {
  if (bytes.length === 0) return { ok: false, reason: 'The image is empty.' };
  if (bytes.length > MAX_IMAGE_BYTES) {
    return {
      ok: false,
      reason: `The image is ${(bytes.length / MB).toFixed(1)} MB; Claude takes images of at most ${(MAX_IMAGE_BYTES / MB).toFixed(2)} MB.`,
    };
  }
  const header = readImageHeader(bytes);
  if (header === null) {
    return { ok: false, reason: 'This is not a PNG, JPEG, GIF or WebP image.' };
  }
  if (header.width > MAX_IMAGE_SIDE || header.height > MAX_IMAGE_SIDE) {
    return {
      ok: false,
      reason: `The image is ${header.width}×${header.height} pixels; Claude takes at most ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE}.`,
    };
  }
  return { ok: true, header };
}
