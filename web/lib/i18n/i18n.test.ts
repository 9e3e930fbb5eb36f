import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { pickLocale } from './pick-locale.ts';
import { ptBr } from './pt-br.ts';
import { createTranslator } from './translator.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('picks the first language it has, else English', () => {
    expect(pickLocale(['pt-BR', 'en'])).toBe('pt-BR');
    expect(pickLocale(['pt'])).toBe('pt-BR');
    expect(pickLocale(['PT-pt'])).toBe('pt-BR');
    expect(pickLocale(['de-DE', 'en-GB', 'pt-BR'])).toBe('en');
    expect(pickLocale(['fr', 'pt-BR'])).toBe('pt-BR');
    expect(pickLocale([])).toBe('en');
  });

  it('keeps the English names tests and screen readers rely on', () => {
    const t = createTranslator('en');
    expect(
      ['message', 'send', 'stop', 'approve', 'alwaysAllow', 'deny'].map((k) => t(k as 'send')),
    ).toEqual(['Message', 'Send', 'Stop', 'Approve', 'Always allow', 'Deny']);
  });

  it('translates every text with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ptBr[key], key).toMatch(/\S/);
      expect(placeholders(ptBr[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('fills placeholders and formats numbers for the locale', () => {
    expect(createTranslator('en')('chunkReceived', { n: 2 })).toBe('Chunk 2 received');
    expect(createTranslator('pt-BR')('usage', { input: 1234, output: 5 })).toBe(
      '1.234 de entrada · 5 de saída (tokens)',
    );
    expect(createTranslator('en')('usage', { input: 1234 })).toBe('1,234 in · {output} out tokens');
  });
});
