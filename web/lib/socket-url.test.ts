import { describe, expect, it } from 'vitest';
import { socketUrl } from './socket-url.ts';

describe('socketUrl', () => {
  it('uses the page origin and the ws path', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:3000' })).toBe('ws://127.0.0.1:3000/ws');
    expect(socketUrl({ protocol: 'https:', host: 'chat.example.com' })).toBe(
      'wss://chat.example.com/ws',
    );
  });

  it('never carries a token in its URL, even one left in the page address', () => {
    const page = { protocol: 'http:', host: 'h', search: '?c=x&token=a b&' };
    expect(socketUrl(page)).toBe('ws://h/ws');
  });
});
