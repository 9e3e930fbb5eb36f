import { describe, expect, it } from 'vitest';
import { conversationHref, inspectorHref } from './inspector-href.ts';

describe('the links between the chat and the inspector', () => {
  it('point at the same conversation and keep the access token', () => {
    expect(inspectorHref('?c=c_old&token=s%26cret', 'c_new')).toBe(
      '/inspect?c=c_new&token=s%26cret',
    );
    expect(conversationHref('?token=abc&c=c_1', 'c_1')).toBe('/?token=abc&c=c_1');
    expect(inspectorHref('', 'c_1')).toBe('/inspect?c=c_1');
  });
});
