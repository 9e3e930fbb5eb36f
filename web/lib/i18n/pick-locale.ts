import type { Locale } from './translator.ts';

/**
 * The page's language from the browser's preferences, in order: the first Portuguese or English
 * one wins (any Portuguese gets Brazilian Portuguese, the only one there is), English otherwise.
 */
export function pickLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const primary = language.toLowerCase().split('-')[0];
    if (primary === 'pt') return 'pt-BR';
    if (primary === 'en') return 'en';
  }
  return 'en';
}
