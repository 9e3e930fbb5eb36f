import type { Locale, Translate } from '../lib/i18n/translator.ts';

/** What every component needs to speak the reader's language. */
export interface Ui {
  t: Translate;
  locale: Locale;
}

/** The element holding everything but modal dialogs, which make it inert while they are open. */
export const APP_ROOT_ID = 'tollgate-app';
