import { describe, expect, it } from 'vitest';
import { rowWindow, scrollToShow } from './row-window.ts';

describe('drawing only the rows in view', () => {
  it('draws the rows in view and a few more, whatever the length of the list', () => {
    expect(rowWindow(10_000, { top: 0, height: 280 }, 28, 5)).toEqual({ first: 0, last: 15 });
    expect(rowWindow(10_000, { top: 2800, height: 280 }, 28, 5)).toEqual({ first: 95, last: 115 });
    expect(rowWindow(10_000, { top: 279_720, height: 280 }, 28, 5)).toEqual({
      first: 9985,
      last: 10_000,
    });
    expect(rowWindow(0, { top: 0, height: 280 }, 28, 5)).toEqual({ first: 0, last: 0 });
  });

  it('scrolls as little as shows a row whole', () => {
    const view = { top: 280, height: 280 };
    expect(scrollToShow(12, view, 28)).toBe(280);
    expect(scrollToShow(5, view, 28)).toBe(140);
    expect(scrollToShow(25, view, 28)).toBe(448);
  });
});
