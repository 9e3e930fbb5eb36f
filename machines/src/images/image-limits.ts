import { z } from 'zod';
import type { ImageMediaType } from '../claude-message.ts';

// What Claude takes of an image (the API's vision documentation and its 400s), checked where an
// image enters (the upload route, the page before it uploads) so that a request never fails for it.

/** The types Claude reads, told apart by their first bytes (image-header.ts). */
export const IMAGE_MEDIA_TYPES: readonly ImageMediaType[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
];

/**
 * The largest image, in bytes. The API refuses an image over 5 MB (5,242,880) counted as the
 * base64 text it travels as, which is 4/3 of its bytes: 3,932,160 bytes encode to exactly that.
 */
export const MAX_IMAGE_BYTES = 3_932_160;

/** The API refuses an image wider or taller than this, in pixels. */
export const MAX_IMAGE_SIDE = 8000;

/** Images one message may carry (claude.ai's limit per message; the API takes 100 per request). */
export const MAX_IMAGES_PER_MESSAGE = 20;

/** An image as a `user.message` names it: by the sha256 of its bytes, never the bytes. */
export const imageAttachmentSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mediaType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
  bytes: z.number().int().positive().max(MAX_IMAGE_BYTES),
  width: z.number().int().positive().max(MAX_IMAGE_SIDE).optional(),
  height: z.number().int().positive().max(MAX_IMAGE_SIDE).optional(),
});

export type ImageAttachment = z.infer<typeof imageAttachmentSchema>;
