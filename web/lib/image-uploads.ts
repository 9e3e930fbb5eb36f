import { type ImageAttachment, judgeImage } from '@tollgate/machines';

// Images go to the server over plain HTTP, behind the same access as the page, and a message then
// names them by hash (docs/protocol.md#images): a WebSocket message carries at most 256 KiB.

/** Where a stored image is served from, by the sha256 a message names it by. */
export function imageSrc(sha256: string): string {
  return `/api/images/${encodeURIComponent(sha256)}`;
}

/** The server's answer to an upload: the attachment a message may name, or why there is none. */
export type UploadOutcome = { ok: true; image: ImageAttachment } | { ok: false; message: string };

/**
 * Sends an image to the server, which judges it again and stores it once by its hash. What Claude
 * would refuse (not a PNG, JPEG, GIF or WebP by its bytes; too large; too many pixels) is refused
 * here first, unsent.
 */
export async function uploadImage(file: Blob, send: typeof fetch = fetch): Promise<UploadOutcome> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const verdict = judgeImage(bytes);
  if (!verdict.ok) return { ok: false, message: verdict.reason };
  let response: Response;
  try {
    response = await send('/api/images', {
      method: 'POST',
      headers: { 'content-type': verdict.header.mediaType },
      body: bytes,
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, message: 'The server could not be reached.' };
  }
  const answer = (await response.json().catch(() => null)) as {
    image?: ImageAttachment;
    error?: string;
  } | null;
  if (response.ok && answer?.image) return { ok: true, image: answer.image };
  return { ok: false, message: answer?.error ?? `The server answered ${response.status}.` };
}

/** The image files among what was pasted, dropped or picked (a pasted text is none). */
export function imageFiles(files: FileList | readonly File[] | null | undefined): File[] {
  return Array.from(files ?? []).filter((file) => file.type.startsWith('image/'));
}
