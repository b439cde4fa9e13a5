import { useTranslation } from 'react-i18next';
import { useFieldText } from '../hooks/useFieldText.js';
import { useLocale } from '../hooks/useLocale.js';
import { sameValue } from '../model/conflict-choices.js';
import type { ConflictField, FieldChoice } from '../model/conflict-choices.js';
import { draftValue, unreadableDate } from '../model/schema-form.js';
import type { FieldSpec } from '../model/schema-form.js';
import { ValueText } from './ValueText.js';

interface Props {
  conflictId: string;
  field: ConflictField;
  spec: FieldSpec | undefined;
  choice: FieldChoice | undefined;
  /** The version both sides started from is known (ConflictView `baseKnown`); when not, the base cell says "unknown". */
  baseKnown?: boolean;
  /** The typed value was a date that could not be read when the person submitted. */
  unreadable?: boolean;
  /** Shows the values only (a delete against an edit is decided for the whole record). */
  readOnly?: boolean;
  onChange: (choice: FieldChoice) => void;
}

/** The id of the input a value for the field is typed in (the detail moves the focus to it). */
export function typedValueId(conflictId: string, field: string): string {
  return `choice-${conflictId}-${field}-value`;
}

/**
 * One field of a conflict: the common base, this office's value and the
 * national value side by side. A side that changed the base is tinted AND
 * labelled "changed", so the difference does not rest on colour. A base that
 * is not known (lost in a platform restore, or a record both sides created)
 * reads "unknown", not as a blank value, and neither side is called changed:
 * nothing says which one changed. The user
 * takes one side or types a value; a date is typed as in the record form,
 * day/month/year with the form's hint, and one that cannot be read stays as
 * typed with the form's message (the detail sends nothing then).
 */
export function ConflictFieldRow({ conflictId, field, spec, choice, baseKnown = true, unreadable = false, readOnly = false, onChange }: Props) {
  const { t } = useTranslation();
  const { pick, language } = useLocale();
  const fieldText = useFieldText();
  const name = `choice-${conflictId}-${field.field}`;
  const localChanged = baseKnown && !sameValue(field.local, field.base);
  const nationalChanged = baseKnown && !sameValue(field.national, field.base);
  const typed = choice?.take === 'value' ? choice.text : '';
  const typedId = typedValueId(conflictId, field.field);
  const isDate = spec?.kind === 'date' || spec?.kind === 'dateTime';
  const hint = spec && isDate ? fieldText.hint(spec) : null;
  // Said until the text reads as a date (or the person submits again).
  const problem = spec && unreadable && unreadableDate(spec, typed) ? fieldText.unreadable(spec) : null;
  const describedBy = [hint ? `${typedId}-hint` : null, problem ? `${typedId}-error` : null].filter(Boolean).join(' ') || undefined;

  const cell = (value: unknown, changed: boolean) => (
    <td className={changed ? 'is-changed' : undefined}>
      <ValueText value={value} spec={spec} />
      {changed ? <span className="change-tag">{t('conflicts.field.changed')}</span> : null}
    </td>
  );

  return (
    <tr className={sameValue(field.local, field.national) ? undefined : 'is-different'}>
      <th scope="row">
        {pick(field.title)}
        {field.auto ? <span className="auto-note">{t('conflicts.field.auto')}</span> : null}
      </th>
      {baseKnown ? (
        cell(field.base, false)
      ) : (
        <td className="base-unknown">
          <span className="value muted">{t('conflicts.field.baseUnknown')}</span>
        </td>
      )}
      {cell(field.local, localChanged)}
      {cell(field.national, nationalChanged)}
      {readOnly ? null : (
      <td>
        <fieldset className="choice">
          <legend className="visually-hidden">{t('conflicts.field.choiceFor', { field: pick(field.title) })}</legend>
          <label>
            <input type="radio" name={name} checked={choice?.take === 'local'} onChange={() => onChange({ take: 'local' })} />
            {t('conflicts.side.local')}
          </label>
          <label>
            <input type="radio" name={name} checked={choice?.take === 'national'} onChange={() => onChange({ take: 'national' })} />
            {t('conflicts.side.national')}
          </label>
          <label>
            <input
              type="radio"
              name={name}
              checked={choice?.take === 'value'}
              onChange={() => onChange({ take: 'value', text: spec ? draftValue(spec, field.local, language) : String(field.local ?? '') })}
            />
            {t('conflicts.side.other')}
          </label>
          {choice?.take === 'value' ? (
            <>
              <label className="typed-value">
                <span className="visually-hidden">{t('conflicts.field.typedFor', { field: pick(field.title) })}</span>
                <input
                  id={typedId}
                  type="text"
                  autoComplete={isDate ? 'off' : undefined}
                  value={typed}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={describedBy}
                  onChange={(e) => onChange({ take: 'value', text: e.target.value })}
                />
              </label>
              {hint ? (
                <p className="field-hint" id={`${typedId}-hint`}>
                  {hint}
                </p>
              ) : null}
              {problem ? (
                <p className="field-errors" id={`${typedId}-error`}>
                  {problem}
                </p>
              ) : null}
            </>
          ) : null}
        </fieldset>
      </td>
      )}
    </tr>
  );
}
