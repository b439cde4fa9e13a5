import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';

/** What Tab can reach inside a dialog, in the page's order. */
const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function tabbables(dialog: HTMLDialogElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.tabIndex >= 0 && !el.closest('[hidden], [inert]'));
}

/**
 * A modal <dialog>'s life: shown with `showModal()` when it mounts, `focusFirst`
 * called to put the focus inside it, closed when it unmounts, and the focus
 * then given back to the element that had it when the dialog opened, if that
 * element is still on the page and the page has not moved the focus elsewhere
 * meanwhile (a form to its error summary, a screen to its heading).
 *
 * While it is open, Tab from its last control goes round to its first and
 * Shift+Tab from its first to its last: a modal dialog leaves the page behind
 * it inert, but the browser would otherwise let the focus out of the document
 * (to nowhere, in the Electron window) instead of staying with the question.
 */
export function useModalDialog(focusFirst: () => void): RefObject<HTMLDialogElement | null> {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  const focusFirstRef = useRef(focusFirst);
  focusFirstRef.current = focusFirst;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    focusFirstRef.current();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey || !dialog) return;
      const inside = tabbables(dialog);
      const first = inside[0];
      const last = inside.at(-1);
      if (!first || !last) return;
      const active = document.activeElement;
      const outside = !(active instanceof Node) || !dialog.contains(active) || active === dialog;
      if (event.shiftKey && (active === first || outside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || outside)) {
        event.preventDefault();
        first.focus();
      }
    };
    dialog?.addEventListener('keydown', onKey);
    return () => {
      dialog?.removeEventListener('keydown', onKey);
      if (dialog?.open) dialog.close();
      const active = document.activeElement;
      if (opener?.isConnected && (!active || active === document.body)) opener.focus();
    };
  }, [opener]);

  return dialogRef;
}
