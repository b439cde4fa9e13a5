import { useRef } from 'react';
import { useModalDialog } from '../hooks/useModalDialog.js';
import type { ReactNode, SyntheticEvent } from 'react';
import type { ApiError } from '../api/types.js';
import { ErrorNotice } from './ErrorNotice.js';
import { SteadyButton } from './SteadyButton.js';

interface Props {
  /** Prefix for the dialog's element ids (its title and its text). */
  id: string;
  title: string;
  /** What it is about (a record's name): data, shown under the title as it is. */
  subject?: string | null;
  /** What the choice does and what is lost, in plain words. */
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  /** The confirmed action is under way: the confirm button keeps the focus and ignores presses, Escape waits. */
  busy: boolean;
  /** Why the action was refused: shown in the dialog, which stays open. */
  error: ApiError | null;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A modal <dialog> asking a person to confirm an action that gives something
 * up. The focus starts on the button that keeps things as they are, Escape
 * cancels, and on closing the focus goes back to the button that opened it
 * (the screen moves it on when that button is gone). A refusal is
 * shown inside, with the focus left on the confirm button.
 */
export function ConfirmDialog({ id, title, subject, children, confirmLabel, cancelLabel, busy, error, onConfirm, onCancel }: Props) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useModalDialog(() => cancelRef.current?.focus());

  function onEscape(event: SyntheticEvent) {
    event.preventDefault();
    if (!busy) onCancel();
  }

  return (
    <dialog ref={dialogRef} className="confirm-dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`} onCancel={onEscape}>
      <h2 id={`${id}-title`}>
        {title}
        {subject ? (
          <span className="form-subject" translate="no">
            {subject}
          </span>
        ) : null}
      </h2>
      <div id={`${id}-text`}>{children}</div>
      <ErrorNotice error={error} />
      <div className="form-actions">
        <SteadyButton type="button" className="danger" unavailable={busy} onClick={onConfirm}>
          {confirmLabel}
        </SteadyButton>
        <button type="button" ref={cancelRef} className="primary" onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
      </div>
    </dialog>
  );
}
