import { useCallback, useEffect, useMemo, useState } from 'react';
import { pickLocale } from '../lib/i18n/pick-locale.ts';
import { createTranslator, isLocale, type Locale, type Translate } from '../lib/i18n/translator.ts';

const STORAGE_KEY = 'tollgate.locale';

function initialLocale(): Locale {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage can be disabled; the browser's languages still decide.
  }
  return pickLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

/** The page's language: the reader's choice if they made one, else the browser's. */
export function useLocale(): { locale: Locale; t: Translate; setLocale: (locale: Locale) => void } {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered; the choice still holds for this page.
    }
  }, []);
  const t = useMemo(() => createTranslator(locale), [locale]);
  return { locale, t, setLocale };
}
