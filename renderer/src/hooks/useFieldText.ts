import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/types.js';
import { datedMessage } from '../model/dated-message.js';
import type { FieldSpec } from '../model/schema-form.js';
import { useLocale } from './useLocale.js';

/** The engine's code for a value that is no real date (or date and time) in the form records store it. */
const DATE_CODES: Readonly<Record<string, string>> = { date: 'date_format', dateTime: 'date_time_format' };

/**
 * What the window says about a field wherever a value of it is typed or
 * refused: the hint beside its input, and its messages. A message is the
 * engine's own words (the platform's, for a refused record), except that a
 * date is asked for as it is typed in this window, day/month/year
 * (model/date-input.ts), not as records store it and the JSON the CLI reads
 * carries it (YYYY-MM-DD): the code on the wire stays the engine's. And a
 * date a message names (a registration before the birth) is written as the
 * window writes dates, day/month/year (model/dated-message.ts).
 */
export function useFieldText() {
  const { t } = useTranslation();
  const { pick, language, date } = useLocale();
  return useMemo(() => {
    /** How to write a date (or date and time) this field takes, naming the field. */
    const dateMessage = (spec: FieldSpec) => t(spec.kind === 'dateTime' ? 'form.error.dateTime' : 'form.error.date', { field: pick(spec.title) });
    return {
      /** The hint under an input of this field, or null when it needs none. */
      hint(spec: FieldSpec): string | null {
        if (spec.kind === 'list' || spec.kind === 'date' || spec.kind === 'dateTime') return t(`form.hint.${spec.kind}`);
        return spec.kind === 'integer' && spec.minimum === 0 ? t('form.hint.nonNegative') : null;
      },
      /** The message for a date the field's input holds but cannot read (schema-form's unreadableDate). */
      unreadable: dateMessage,
      /** One error about the field `spec` describes (undefined: a field the window has no description of), as the window says it. */
      message(error: FieldError, spec: FieldSpec | undefined): string {
        if (spec && DATE_CODES[spec.kind] === error.code) return dateMessage(spec);
        return datedMessage(error, language, date) ?? pick(error.messages);
      },
    };
  }, [t, pick, language, date]);
}
