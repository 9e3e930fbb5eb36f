import { describe, expect, it } from 'vitest';
import { socketUrl } from './socket-url.ts';

describe('socketUrl', () => {
  it('uses the page origin and the ws path', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:3000', search: '?c=c_1' })).toBe(
      'ws://127.0.0.1:3000/ws',
    );
    expect(socketUrl({ protocol: 'https:', host: 'chat.example.com', search: '' })).toBe(
      'wss://chat.example.com/ws',
    );
  });

  it('carries the access token over', () => {
    expect(socketUrl({ protocol: 'http:', host: 'h', search: '?c=x&token=a b&' })).toBe(
      'ws://h/ws?token=a%20b',
    );
  });
});
