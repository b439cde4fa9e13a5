import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';

/**
 * A modal <dialog>'s life: shown with `showModal()` when it mounts, `focusFirst`
 * called to put the focus inside it, closed when it unmounts, and the focus
 * then given back to the element that had it when the dialog opened, if that
 * element is still on the page and the page has not moved the focus elsewhere
 * meanwhile (a form to its error summary, a screen to its heading).
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
    return () => {
      if (dialog?.open) dialog.close();
      const active = document.activeElement;
      if (opener?.isConnected && (!active || active === document.body)) opener.focus();
    };
  }, [opener]);

  return dialogRef;
}
