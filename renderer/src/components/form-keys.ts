import type { KeyboardEvent } from 'react';

/** What the record form's keys may do at the moment. */
export interface FormKeys {
  /** Nothing may be saved here: Ctrl+S and Ctrl+Enter do nothing (and not the browser's "save page" either). */
  readOnly: boolean;
  /** The form has "Lưu và thêm tiếp" (a new record): Ctrl+Enter presses it; otherwise Ctrl+Enter saves. */
  another: boolean;
  /** Back to the list, through the leave guard (it asks first when something typed is not saved). */
  back: () => void;
}

/**
 * The record form's keys, as a data-entry form has them: Ctrl+S saves from any
 * field (a list box or a note too, where Enter does not), Ctrl+Enter saves a
 * new record and opens the next ("Lưu và thêm tiếp" pressed; an edit: saves),
 * Escape goes back to the list, asking first when something typed is not saved.
 * A save presses its button (`data-save` / `data-another`), so a save under way
 * ignores the key as the disabled button does, and the form's own submit
 * checks the record as a click would.
 */
export function onFormKey(event: KeyboardEvent<HTMLFormElement>, keys: FormKeys): void {
  // A key an input already used (a list box's typing), or one that ends an input method's composition.
  if (event.defaultPrevented || event.nativeEvent.isComposing) return;
  const form = event.currentTarget;
  const command = (event.ctrlKey || event.metaKey) && !event.altKey;
  const press = (selector: string) => {
    event.preventDefault();
    if (keys.readOnly) return;
    const button = form.querySelector<HTMLButtonElement>(selector);
    if (button && !button.disabled) button.click();
  };
  if (command && !event.shiftKey && (event.code === 'KeyS' || event.key.toLowerCase() === 's')) {
    press('button[data-save="true"]');
  } else if (command && event.key === 'Enter') {
    press(keys.another ? 'button[data-another="true"]' : 'button[data-save="true"]');
  } else if (event.key === 'Escape' && !event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey) {
    event.preventDefault();
    keys.back();
  }
}
