import { useTranslation } from 'react-i18next';
import type { FieldSpec } from '../model/schema-form.js';
import { useAdminUnitIndex } from '../hooks/useAdminUnits.js';
import { useLocale } from '../hooks/useLocale.js';

/**
 * A record's value as plain text, never as markup: whatever a field holds
 * (even `<img onerror=...>`) is shown as the characters it is. Marked
 * `translate="no"`: names and codes are data, not words of the interface.
 */
export function ValueText({ value, spec, className }: { value: unknown; spec?: FieldSpec | undefined; className?: string }) {
  const { t } = useTranslation();
  const text = useValueText()(value, spec);
  if (text === '') {
    return (
      <span className={`value is-empty ${className ?? ''}`}>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">{t('common.empty')}</span>
      </span>
    );
  }
  return (
    <span className={`value ${className ?? ''}`} translate="no">
      {text}
      {spec?.lookup ? <UnitName code={typeof value === 'string' ? value : ''} lookup={spec.lookup} /> : null}
    </span>
  );
}

/**
 * The name of the commune or province a code field (x-lookup) holds, under the
 * code: "00091" alone says nothing to a clerk comparing two values. Nothing
 * while the units are not loaded or the code names no unit in force.
 */
function UnitName({ code, lookup }: { code: string; lookup: 'province' | 'commune' }) {
  const units = useAdminUnitIndex(true);
  const name = lookup === 'commune' ? units.communeName(code) : units.provinceName(code);
  if (!name) return null;
  return (
    <>
      {' '}
      <span className="unit-name" title={name}>
        {name}
      </span>
    </>
  );
}

/** Formats a value for display: enum titles, dates in the current language, lists joined. */
export function useValueText(): (value: unknown, spec?: FieldSpec) => string {
  const locale = useLocale();
  return (value, spec) => {
    if (value === undefined || value === null || value === '') return '';
    if (spec?.kind === 'enum') {
      const option = spec.options.find((o) => o.value === value);
      if (option) return locale.pick(option.title);
    }
    if (typeof value === 'string') {
      if (spec?.kind === 'date') return locale.date(value);
      if (spec?.kind === 'dateTime') return locale.dateTime(value);
      return value;
    }
    if (typeof value === 'number') return spec?.kind === 'integer' ? locale.number(value) : String(value);
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
    return JSON.stringify(value);
  };
}
