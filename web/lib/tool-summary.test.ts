import type { ToolInfo } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createTranslator } from './i18n/translator.ts';
import { summarizeToolCall } from './tool-summary.ts';

const en = createTranslator('en');
const pt = createTranslator('pt-BR');
const echo: ToolInfo = {
  name: 'everything__echo',
  server: 'everything',
  title: 'Echo',
  description: 'Echoes',
  readOnly: true,
  destructive: false,
};

describe('summarizeToolCall', () => {
  it('says which file is created and how big it is', () => {
    const call = {
      name: 'write_file',
      input: { path: 'notes/a.md', content: 'x'.repeat(1229) },
      complete: true,
    };
    expect(summarizeToolCall(call, undefined, en, 'en')).toBe(
      'Create the file notes/a.md (1.2 KB)',
    );
    expect(summarizeToolCall(call, undefined, pt, 'pt-BR')).toBe(
      'Criar o arquivo notes/a.md (1,2 KB)',
    );
  });

  it('says when a file is replaced', () => {
    const call = {
      name: 'write_file',
      input: { path: 'a.md', content: 'ü', overwrite: true },
      complete: true,
    };
    expect(summarizeToolCall(call, undefined, en, 'en')).toBe('Replace the file a.md (2 bytes)');
  });

  it('leaves the size out while Claude is still writing the call', () => {
    const call = {
      name: 'write_file',
      input: { path: 'notes/a', content: 'abc' },
      complete: false,
    };
    expect(summarizeToolCall(call, undefined, en, 'en')).toBe('Create the file notes/a…');
    expect(summarizeToolCall({ ...call, input: {} }, undefined, en, 'en')).toBe(
      'Create the file …',
    );
  });

  it('words reads and listings', () => {
    expect(
      summarizeToolCall(
        { name: 'read_file', input: { path: 'a.md' }, complete: true },
        undefined,
        en,
        'en',
      ),
    ).toBe('Read the file a.md');
    expect(
      summarizeToolCall({ name: 'list_files', input: {}, complete: true }, undefined, en, 'en'),
    ).toBe('List the files in the workspace');
    expect(
      summarizeToolCall(
        { name: 'list_files', input: { path: 'src' }, complete: true },
        undefined,
        en,
        'en',
      ),
    ).toBe('List the files in src');
  });

  it('names any other tool with its MCP server', () => {
    const call = { name: 'everything__echo', input: { message: 'hi' }, complete: true };
    expect(summarizeToolCall(call, echo, en, 'en')).toBe('Use Echo (everything)');
    expect(summarizeToolCall(call, undefined, en, 'en')).toBe(
      'Use everything__echo (an unknown server)',
    );
  });
});
