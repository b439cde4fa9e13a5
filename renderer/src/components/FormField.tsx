import { useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/types.js';
import type { FieldSpec } from '../model/schema-form.js';
import { useFieldText } from '../hooks/useFieldText.js';
import { useLocale } from '../hooks/useLocale.js';
import { COMMUNE_LIST_ID, PROVINCE_LIST_ID } from './LookupLists.js';
import { TYPEAHEAD_PAUSE_MS, typeaheadPick } from '../model/option-typeahead.js';

interface Props {
  spec: FieldSpec;
  value: string;
  errors: readonly FieldError[];
  readOnly: boolean;
  idPrefix: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  /** Said under the input, about what it holds (a commune code's name): tied to it by aria-describedby. */
  note?: ReactNode;
}

/**
 * One generated input with its <label>, its required mark and its messages.
 * The messages are the engine's own (records.validate), in the current
 * language, tied to the input by aria-describedby.
 */
export function FormField({ spec, value, errors, readOnly, idPrefix, onChange, onBlur, note }: Props) {
  const { t } = useTranslation();
  const { pick } = useLocale();
  const fieldText = useFieldText();
  const id = `${idPrefix}-${spec.name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const noteId = `${id}-note`;
  const invalid = errors.length > 0;
  /** What was typed into a list box since the last pause (model/option-typeahead.ts); Enter there saves, as in a text box. */
  const typed = useRef({ text: '', at: 0 });

  function onListKey(event: KeyboardEvent<HTMLSelectElement>) {
    if (readOnly || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Enter') {
      // Enter in a text box saves the form (the browser's implicit submission); a list box did nothing. Now the same.
      const form = event.currentTarget.form;
      const button = form?.querySelector<HTMLButtonElement>('button[type="submit"]');
      if (!form || !button || button.disabled) return;
      event.preventDefault();
      form.requestSubmit(button);
      return;
    }
    if (event.key.length !== 1) return;
    const recent = event.timeStamp - typed.current.at < TYPEAHEAD_PAUSE_MS ? typed.current.text : '';
    // A space first opens the list, as the browser does; within typing it is part of the words.
    if (event.key === ' ' && recent === '') return;
    const text = recent + event.key;
    typed.current = { text, at: event.timeStamp };
    const next = typeaheadPick(spec.options.map((o) => ({ value: o.value, label: pick(o.title) })), text, value);
    if (next === null) return;
    event.preventDefault();
    if (next !== value) onChange(next);
  }
  const hint = fieldText.hint(spec);
  const describedBy = [hint ? hintId : null, note ? noteId : null, invalid ? errorId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: spec.name,
    readOnly,
    onBlur,
    'aria-invalid': invalid || undefined,
    'aria-required': spec.required || undefined,
    'aria-describedby': describedBy,
  };

  let input;
  switch (spec.kind) {
    case 'enum':
      input = (
        <select {...common} disabled={readOnly} value={value} onChange={(e) => onChange(e.target.value)} onKeyDown={onListKey}>
          <option value="">{t('form.choose')}</option>
          {spec.options.map((o) => (
            <option key={o.value} value={o.value}>
              {pick(o.title)}
            </option>
          ))}
        </select>
      );
      break;
    case 'longText':
    case 'list':
      input = <textarea {...common} rows={spec.kind === 'list' ? 3 : 4} value={value} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'date':
    case 'dateTime':
      // Text, not the browser's date input: that one shows the system's date order, not the window's day/month/year,
      // and empties its value on a date it cannot read. The text stays as typed (model/date-input.ts reads it).
      input = <input {...common} type="text" autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'integer':
      input = (
        <input
          {...common}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    default:
      input = (
        <input
          {...common}
          type="text"
          autoComplete="off"
          maxLength={spec.maxLength}
          list={spec.lookup === 'province' ? PROVINCE_LIST_ID : spec.lookup === 'commune' ? COMMUNE_LIST_ID : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }

  return (
    <div className={`field field-${spec.kind}${invalid ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {pick(spec.title)}
        {spec.required ? (
          <>
            <span className="required-mark" aria-hidden="true">
              *
            </span>
            <span className="visually-hidden">{t('form.requiredSuffix')}</span>
          </>
        ) : null}
      </label>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {input}
      {note ? (
        <div className="field-hint field-note" id={noteId}>
          {note}
        </div>
      ) : null}
      {invalid ? (
        <ul className="field-errors" id={errorId}>
          {errors.map((e, i) => (
            <li key={`${e.code}-${i}`}>{fieldText.message(e, spec)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
