import { describe, expect, it } from 'vitest';
import { readAppConfig } from '../../src/app-config.ts';

const read = (INSPECT: string | undefined) => readAppConfig({ INSPECT }, '/tmp/tollgate');

describe('INSPECT in the app config', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['0', null],
    ['false', null],
    ['1', 'trace'],
    ['true', 'trace'],
    [' TRUE ', 'trace'],
    ['stately', 'stately'],
    ['Stately', 'stately'],
  ])('reads INSPECT=%j as %j', (value, mode) => {
    const result = read(value);
    expect(result.ok && result.config.inspect).toBe(mode);
  });

  it.each(['yes', '2', 'sky', 'stately.ai'])(
    'refuses INSPECT=%j and names the values it takes',
    (value) => {
      const result = read(value);
      expect(result.ok).toBe(false);
      const problems = result.ok ? [] : result.problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`INSPECT="${value}" must be 1`);
      expect(problems[0]).toContain('stately');
    },
  );
});
