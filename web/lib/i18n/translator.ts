import { en, type MessageKey, type Messages } from './en.ts';
import { ptBr } from './pt-br.ts';

export const LOCALES = ['en', 'pt-BR'] as const;
export type Locale = (typeof LOCALES)[number];

const CATALOGS: Record<Locale, Messages> = { en, 'pt-BR': ptBr };

/** Each locale's name in its own language, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  'pt-BR': 'Português (Brasil)',
};

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** A text in `locale`, with `{name}` filled from params (a missing value stays visible as is). */
export function createTranslator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  const numbers = new Intl.NumberFormat(locale);
  return (key, params) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params?.[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
}

export function isLocale(value: unknown): value is Locale {
  return LOCALES.includes(value as Locale);
}
