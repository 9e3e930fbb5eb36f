// The rules the real API applies to image blocks in `messages`, worded like its 400s (the vision
// documentation and the errors it answers): base64 or URL sources only, one of four media types,
// data that decodes and is the type it says it is, at most 5 MB as base64, at most 8000 px a side
// (2000 px when the request carries more than 20 images), at most 100 images per request.
// Written here, apart from the product's own header reader, so the two are not judged by one
// another: the emulator reads the signatures and sizes itself.

const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const MAX_BASE64_BYTES = 5 * 1024 * 1024;
const MAX_SIDE = 8000;
const MANY_IMAGES = 20;
const MAX_SIDE_MANY = 2000;
const MAX_IMAGES = 100;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Every block type the SDK's ContentBlockParam names; any other is refused as an unknown tag. */
export const CONTENT_BLOCK_TYPES = new Set([
  'text',
  'image',
  'document',
  'search_result',
  'thinking',
  'redacted_thinking',
  'tool_use',
  'tool_result',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'container_upload',
]);

type Block = { type?: unknown; source?: unknown };

/** The media type the bytes are, by their signature, and their size, or null. */
function sniff(bytes: Buffer): { type: string; width: number; height: number } | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))) {
    if (bytes.length < 24) return null;
    return { type: 'image/png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (/^GIF8[79]a/.test(bytes.subarray(0, 6).toString('latin1'))) {
    if (bytes.length < 10) return null;
    return { type: 'image/gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    for (let at = 2; at + 9 < bytes.length; ) {
      const marker = bytes[at + 1]!;
      if (bytes[at] !== 0xff) return null;
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return {
          type: 'image/jpeg',
          width: bytes.readUInt16BE(at + 7),
          height: bytes.readUInt16BE(at + 5),
        };
      }
      at += 2 + bytes.readUInt16BE(at + 2);
    }
    return null;
  }
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    // Only the sizes of VP8X (canvas) and VP8L are read; a simple lossy file passes on size.
    const chunk = bytes.subarray(12, 16).toString('latin1');
    if (chunk === 'VP8X' && bytes.length >= 30) {
      return {
        type: 'image/webp',
        width: 1 + bytes.readUIntLE(24, 3),
        height: 1 + bytes.readUIntLE(27, 3),
      };
    }
    if (chunk === 'VP8L' && bytes.length >= 25) {
      const bits = bytes.readUInt32LE(21);
      return {
        type: 'image/webp',
        width: 1 + (bits & 0x3fff),
        height: 1 + ((bits >> 14) & 0x3fff),
      };
    }
    return { type: 'image/webp', width: 1, height: 1 };
  }
  return null;
}

/** Judges the image blocks of `messages` (already known to be a list of messages). */
export function imageBlockViolations(messages: unknown[]): string[] {
  const problems: string[] = [];
  const images: { at: string; width: number; height: number }[] = [];
  messages.forEach((message, n) => {
    if (typeof message !== 'object' || message === null) return; // messagesViolations says so
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (!Array.isArray(content)) return;
    (content as Block[]).forEach((block, b) => {
      if (typeof block !== 'object' || block === null) return;
      const at = `messages.${n}.content.${b}`;
      if (typeof block.type !== 'string' || !CONTENT_BLOCK_TYPES.has(block.type)) {
        problems.push(
          `${at}: Input tag '${String(block.type)}' found using 'type' does not match any of the expected tags`,
        );
        return;
      }
      if (block.type !== 'image') return;
      if (role !== 'user') {
        problems.push(`${at}: image content blocks are only allowed in user messages`);
        return;
      }
      const source = block.source as Record<string, unknown> | undefined;
      if (source?.type === 'url' && typeof source.url === 'string') return;
      if (source?.type !== 'base64') {
        problems.push(
          `${at}.image.source: Input tag '${String(source?.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`,
        );
        return;
      }
      const where = `${at}.image.source.base64`;
      if (typeof source.media_type !== 'string' || !MEDIA_TYPES.includes(source.media_type)) {
        problems.push(
          `${where}.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`,
        );
        return;
      }
      const data = source.data;
      if (typeof data !== 'string' || data === '' || data.length % 4 !== 0 || !BASE64.test(data)) {
        problems.push(`${where}: The image data is not valid base64`);
        return;
      }
      if (data.length > MAX_BASE64_BYTES) {
        problems.push(
          `${where}: image exceeds 5 MB maximum: ${data.length} bytes > ${MAX_BASE64_BYTES} bytes`,
        );
        return;
      }
      const image = sniff(Buffer.from(data, 'base64'));
      if (!image) {
        problems.push(`${where}: Could not process image`);
        return;
      }
      if (image.type !== source.media_type) {
        problems.push(
          `${where}: Image does not match the provided media type ${source.media_type}`,
        );
        return;
      }
      if (image.width > MAX_SIDE || image.height > MAX_SIDE) {
        problems.push(`${where}: image dimensions exceed max allowed size: ${MAX_SIDE} pixels`);
        return;
      }
      images.push({ at: where, width: image.width, height: image.height });
    });
  });
  if (images.length > MAX_IMAGES) {
    problems.push(`messages: too many images in this request: ${images.length} > ${MAX_IMAGES}`);
  }
  if (images.length > MANY_IMAGES) {
    for (const image of images) {
      if (image.width > MAX_SIDE_MANY || image.height > MAX_SIDE_MANY) {
        problems.push(
          `${image.at}: At least one of the image dimensions exceed max allowed size for many-image requests: ${MAX_SIDE_MANY} pixels`,
        );
      }
    }
  }
  return problems;
}
