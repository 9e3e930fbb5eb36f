import { describe, expect, it } from 'vitest';
import { formatTimeLeft } from './time-left.ts';

describe('formatTimeLeft', () => {
  it('reads as minutes and seconds, with hours past an hour', () => {
    expect(formatTimeLeft(83)).toBe('1:23');
    expect(formatTimeLeft(5)).toBe('0:05');
    expect(formatTimeLeft(0)).toBe('0:00');
    expect(formatTimeLeft(-3)).toBe('0:00');
    expect(formatTimeLeft(600)).toBe('10:00');
    expect(formatTimeLeft(3723)).toBe('1:02:03');
  });
});
