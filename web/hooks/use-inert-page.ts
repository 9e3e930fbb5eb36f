import { useEffect } from 'react';
import { APP_ROOT_ID } from '../components/ui.ts';

/**
 * While a modal dialog is open, the page behind it is inert and hidden from assistive
 * technology. Call it before the dialog's focus trap: on close this cleanup runs first, so the
 * page is no longer inert when the trap gives focus back to it.
 */
export function useInertPage(): void {
  useEffect(() => {
    const root = document.getElementById(APP_ROOT_ID);
    if (root === null) return;
    root.inert = true;
    root.setAttribute('aria-hidden', 'true');
    return () => {
      root.inert = false;
      root.removeAttribute('aria-hidden');
    };
  }, []);
}
