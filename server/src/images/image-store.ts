import type { ImageMediaType } from '@tollgate/machines';

/** An image as stored: its bytes and what they are (judged when it was put). */
export interface StoredImage {
  sha256: string;
  mediaType: ImageMediaType;
  bytes: Uint8Array;
}

/**
 * Images by the sha256 of their bytes, each stored once however often it is attached. Only
 * images that passed `judgeImage` are put, so what comes out is what Claude takes. Conversations
 * name images, never hold them: a conversation deleted leaves its images (another may share them).
 */
export interface ImageStore {
  /** Stores the image (a no-op when it is there already) and resolves once it is durable. */
  put(image: StoredImage): Promise<void>;
  /** The image, or null when this store does not hold it. */
  get(sha256: string): Promise<StoredImage | null>;
  has(sha256: string): Promise<boolean>;
}
