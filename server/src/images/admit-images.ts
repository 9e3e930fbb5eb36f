import type { CommandEvent, CommandRejection } from '@tollgate/machines';
import type { ImageStore } from './image-store.ts';

/**
 * The runtime's `admit` for attached images: a message may name only images this server holds
 * (uploaded first, `POST /api/images`), or its request to Claude could never be built.
 */
export function admitImages(images: Pick<ImageStore, 'has'>) {
  return async (command: CommandEvent): Promise<CommandRejection | null> => {
    if (command.type !== 'user.message' || !command.images) return null;
    for (const image of command.images) {
      if (!(await images.has(image.sha256))) {
        return {
          code: 'unknown_image',
          message: `The image ${image.sha256.slice(0, 12)}… is not on this server; attach it again.`,
        };
      }
    }
    return null;
  };
}
