import { useRef, useState, useSyncExternalStore } from 'react';
import type { FormEvent, SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActingAs, NamePromptReason } from '../api/acting-as.js';
import { useModalDialog } from '../hooks/useModalDialog.js';

function useActingAs(store: ActingAs) {
  return useSyncExternalStore(store.subscribe, store.snapshot);
}

/** The header's "Acting as: <name>" with its button to give or change the name (web console only). */
export function ActingAsControl({ store }: { store: ActingAs }) {
  const { t } = useTranslation();
  const { name } = useActingAs(store);
  return (
    <div className="acting-as" role="group" aria-labelledby="acting-as-label">
      <span id="acting-as-label" className="acting-as-label">
        {t('actingAs.label')}
      </span>
      {name ? (
        <span className="acting-as-name" translate="no">
          {name}
        </span>
      ) : (
        <span className="acting-as-name is-none">{t('actingAs.none')}</span>
      )}
      <button type="button" className="lang-button" aria-haspopup="dialog" onClick={() => store.edit()}>
        {name ? t('actingAs.change') : t('actingAs.set')}
      </button>
    </div>
  );
}

/** The name dialog, open while a change waits for a name or the person changes it. */
export function ActingAsDialog({ store }: { store: ActingAs }) {
  const { prompt } = useActingAs(store);
  return prompt ? <NameDialog store={store} reason={prompt} /> : null;
}

/**
 * A modal <dialog>: the name field takes the focus, Enter confirms, Escape
 * cancels (and with it the change that waits), and on closing the focus goes
 * back where it was. A name the engine would refuse keeps the dialog open with
 * what was typed and the reason.
 */
function NameDialog({ store, reason }: { store: ActingAs; reason: NamePromptReason }) {
  const { t } = useTranslation();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(() => store.name ?? '');
  const [invalid, setInvalid] = useState(false);
  const dialogRef = useModalDialog(() => inputRef.current?.select());

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (store.confirm(value)) return;
    setInvalid(true);
    inputRef.current?.focus();
  }

  function onCancel(event: SyntheticEvent) {
    // Escape: the store closes the dialog, so the change waiting for it hears "cancelled".
    event.preventDefault();
    store.cancel();
  }

  return (
    <dialog ref={dialogRef} className="name-dialog" aria-labelledby="acting-as-title" aria-describedby="acting-as-intro" onCancel={onCancel}>
      <form noValidate onSubmit={onSubmit}>
        <h2 id="acting-as-title">{reason === 'change' ? t('actingAs.askTitle') : t('actingAs.editTitle')}</h2>
        <p id="acting-as-intro">
          {t('actingAs.intro')}
          {reason === 'change' ? ` ${t('actingAs.waiting')}` : null}
        </p>
        <div className={`field${invalid ? ' has-error' : ''}`}>
          <label htmlFor="acting-as-input">{t('actingAs.nameLabel')}</label>
          <input
            id="acting-as-input"
            ref={inputRef}
            type="text"
            autoComplete="name"
            spellCheck={false}
            value={value}
            aria-invalid={invalid}
            aria-describedby={invalid ? 'acting-as-error acting-as-declared' : 'acting-as-declared'}
            onChange={(e) => setValue(e.target.value)}
          />
          {invalid ? (
            <p className="field-errors" id="acting-as-error" role="alert">
              {t('actingAs.invalid')}
            </p>
          ) : null}
          <p className="field-hint" id="acting-as-declared">
            {t('actingAs.declared')}
          </p>
        </div>
        <div className="form-actions">
          <button type="submit" className="primary">
            {reason === 'change' ? t('actingAs.continue') : t('actingAs.save')}
          </button>
          <button type="button" onClick={() => store.cancel()}>
            {t('actingAs.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
