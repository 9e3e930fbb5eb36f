/**
 * Splits text into chunks of at most `maxBytes` UTF-8 bytes, never inside a character, so each
 * chunk is valid text on its own and the chunks concatenate to the original byte for byte.
 */
export function splitIntoChunks(text: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const char of text) {
    const bytes = Buffer.byteLength(char);
    if (currentBytes + bytes > maxBytes && current !== '') {
      chunks.push(current);
      current = '';
      currentBytes = 0;
    }
    current += char;
    currentBytes += bytes;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}
