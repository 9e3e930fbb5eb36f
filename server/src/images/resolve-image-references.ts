import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { ClaudeMessageParam } from '@tollgate/machines';
import type { ImageStore } from './image-store.ts';

/** An image the conversation names that the store does not hold. */
export class MissingImageError extends Error {
  constructor(readonly sha256: string) {
    super(
      `An image of this conversation (${sha256.slice(0, 12)}…) is not on this server, so Claude cannot be asked.`,
    );
    this.name = 'MissingImageError';
  }
}

/**
 * The messages as the API takes them: each image reference the machine put in becomes the API's
 * base64 `image` block with the stored bytes (read once per distinct image), its cache breakpoint
 * kept. Throws MissingImageError when an image is not in the store.
 */
export async function resolveImageReferences(
  messages: ClaudeMessageParam[],
  images: Pick<ImageStore, 'get'>,
): Promise<MessageParam[]> {
  const data = new Map<string, string>();
  for (const message of messages) {
    for (const block of message.content) {
      if (block.type !== 'image_reference' || data.has(block.sha256)) continue;
      const image = await images.get(block.sha256);
      if (!image) throw new MissingImageError(block.sha256);
      data.set(block.sha256, Buffer.from(image.bytes).toString('base64'));
    }
  }
  if (data.size === 0) return messages as MessageParam[];
  return messages.map((message): MessageParam => {
    if (message.role === 'assistant') return message;
    return {
      role: 'user',
      content: message.content.map((block) =>
        block.type === 'image_reference'
          ? {
              type: 'image',
              source: {
                type: 'base64',
                media_type: block.media_type,
                data: data.get(block.sha256)!,
              },
              ...(block.cache_control ? { cache_control: block.cache_control } : {}),
            }
          : block,
      ),
    };
  });
}
