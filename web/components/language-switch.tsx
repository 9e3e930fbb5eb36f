import { useId } from 'react';
import { isLocale, LOCALE_NAMES, LOCALES, type Locale } from '../lib/i18n/translator.ts';
import type { Ui } from './ui.ts';

/** The reader's choice of language, remembered on this device. */
export function LanguageSwitch({ ui, onChange }: { ui: Ui; onChange: (locale: Locale) => void }) {
  const id = useId();
  return (
    <div className="flex items-center gap-1 text-sm">
      <label htmlFor={id} className="sr-only">
        {ui.t('language')}
      </label>
      <select
        id={id}
        value={ui.locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) onChange(event.target.value);
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
      >
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {LOCALE_NAMES[locale]}
          </option>
        ))}
      </select>
    </div>
  );
}
