import { describe, expect, it } from 'vitest';
import { formatBytes, utf8Bytes } from './format-bytes.ts';

describe('formatBytes', () => {
  it.each([
    [0, 'en', '0 bytes'],
    [1, 'en', '1 byte'],
    [812, 'en', '812 bytes'],
    [1229, 'en', '1.2 KB'],
    [1024 * 1024, 'en', '1.0 MB'],
    [1229, 'pt-BR', '1,2 KB'],
    [5 * 1024 ** 3, 'en', '5.0 GB'],
  ])('%d in %s is %s', (bytes, locale, text) => {
    expect(formatBytes(bytes, locale)).toBe(text);
  });

  it('counts UTF-8 bytes, not characters, as the encoder would', () => {
    expect(utf8Bytes('aü✓😀')).toBe(1 + 2 + 3 + 4);
    for (const text of ['', 'ascii', 'ünïcödé ✓ 😀😀', '\ud800 lone', 'end \ud83d', '\udc00']) {
      expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).byteLength);
    }
  });
});
