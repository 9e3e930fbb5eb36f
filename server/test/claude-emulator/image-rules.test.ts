// The image blocks the emulator takes and refuses, as the real API does (image-block-rules.ts).

import { describe, expect, it } from 'vitest';
import { judgeRequest } from './judge-request.ts';

const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';

function pngOf(width: number, height: number): string {
  const bytes = Buffer.from(PNG_1X1, 'base64');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes.toString('base64');
}

const image = (data: string, mediaType = 'image/png') => ({
  type: 'image',
  source: { type: 'base64', media_type: mediaType, data },
});

function judge(content: unknown[], role = 'user') {
  const messages =
    role === 'user'
      ? [{ role: 'user', content }]
      : [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content },
        ];
  return judgeRequest({
    method: 'POST',
    url: '/v1/messages',
    headers: { authorization: 'Bearer k', 'anthropic-version': '2026-10-21' },
    rawBody: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 100, messages }),
  });
}

const refusal = (verdict: ReturnType<typeof judge>) =>
  verdict.accepted ? null : verdict.violations.join(' | ');

describe('image blocks', () => {
  it('takes a base64 image of its stated type before the text', () => {
    expect(judge([image(PNG_1X1), { type: 'text', text: 'What is it?' }]).accepted).toBe(true);
  });

  it('refuses a type that is not the bytes, bytes that are no image, and bad base64', () => {
    expect(refusal(judge([image(PNG_1X1, 'image/jpeg'), { type: 'text', text: 'x' }]))).toBe(
      'messages.0.content.0.image.source.base64: Image does not match the provided media type image/jpeg',
    );
    expect(refusal(judge([image(Buffer.from('hello!').toString('base64'))]))).toMatch(
      /Could not process image/,
    );
    expect(refusal(judge([image('not base64!')]))).toMatch(/not valid base64/);
    expect(refusal(judge([image(PNG_1X1, 'image/svg+xml')]))).toMatch(
      /media_type: Input should be/,
    );
  });

  it('refuses images too large, too wide, or in an assistant message', () => {
    const large = Buffer.alloc(5 * 1024 * 1024);
    Buffer.from(PNG_1X1, 'base64').copy(large);
    expect(refusal(judge([image(large.toString('base64'))]))).toMatch(
      /image exceeds 5 MB maximum: 6990508 bytes > 5242880 bytes/,
    );
    expect(refusal(judge([image(pngOf(8001, 10))]))).toMatch(/exceed max allowed size: 8000/);
    expect(judge([image(pngOf(8000, 8000))]).accepted).toBe(true);
    expect(refusal(judge([image(PNG_1X1)], 'assistant'))).toMatch(/only allowed in user messages/);
  });

  it('holds images to 2000 px when a request carries more than 20', () => {
    const many = Array.from({ length: 21 }, () => image(PNG_1X1));
    expect(judge(many).accepted).toBe(true);
    expect(refusal(judge([...many, image(pngOf(2001, 10))]))).toMatch(
      /many-image requests: 2000 pixels/,
    );
  });

  it('knows no block types of its own making, such as an unresolved image reference', () => {
    expect(
      refusal(
        judge([{ type: 'image_reference', sha256: 'a'.repeat(64), media_type: 'image/png' }]),
      ),
    ).toMatch(/Input tag 'image_reference' found using 'type' does not match/);
  });
});
