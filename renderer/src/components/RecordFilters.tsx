import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetView } from '../api/types.js';
import { useAdminUnits } from '../hooks/useAdminUnits.js';
import { useLocale } from '../hooks/useLocale.js';
import { communeOf, matchCommune } from '../model/commune-name.js';
import { type DueFilter, type FilterValue, type ListFilters } from '../model/record-filters.js';

/**
 * The Records list's filters the dataset's schema offers (model/record-filters.ts):
 * a choice per status-like field, the commune by its name (accents optional) or
 * code among the office's province's communes, and overdue / due today. Each
 * change is the list's and the export's filter at once.
 */
export function RecordFilters({
  dataset,
  filters,
  value,
  onChange,
}: {
  dataset: DatasetView;
  filters: ListFilters;
  value: FilterValue;
  onChange: (value: FilterValue) => void;
}) {
  const { t } = useTranslation();
  const { pick } = useLocale();
  const listId = useId();
  const hintId = useId();
  const all = useAdminUnits(filters.commune !== null);
  const province = dataset.officeValues['provinceCode'] ?? '';
  const units = useMemo(() => {
    const own = all.filter((u) => u.provinceCode === province);
    return own.length > 0 ? own : all;
  }, [all, province]);
  // Back from a record's form (this row was not drawn meanwhile), the box shows the commune still filtered by, as its code.
  const [communeText, setCommuneText] = useState(() => (filters.commune ? (value.fields[filters.commune.name] ?? '') : ''));

  const setField = (field: string, v: string) => {
    const fields = { ...value.fields };
    if (v === '') delete fields[field];
    else fields[field] = v;
    onChange({ ...value, fields });
  };

  /** The commune typed: a code of one, or a name naming one; anything else filters by no commune. */
  const communeCode = (text: string): string => {
    const trimmed = text.trim();
    if (/^\d{5}$/.test(trimmed)) return trimmed;
    const match = matchCommune(units, trimmed);
    return match && 'code' in match ? match.code : '';
  };

  const commune = filters.commune;
  const typed = communeText.trim();
  const chosen = commune ? value.fields[commune.name] : undefined;
  const chosenUnit = chosen ? communeOf(units, chosen) : undefined;
  const match = typed !== '' && !chosen ? matchCommune(units, typed) : null;
  const hint = chosen
    ? t('records.filter.communeOne', { name: chosenUnit ? chosenUnit.communeName : chosen, code: chosen })
    : typed === ''
      ? ''
      : match && 'several' in match
        ? t('records.filter.communeSeveral', { n: match.total, text: typed })
        : t('records.filter.communeNone', { text: typed });
  const active = Object.keys(value.fields).length > 0 || value.due !== null;

  return (
    <fieldset className="toolbar record-filters">
      <legend className="visually-hidden">{t('records.filter.legend')}</legend>
      {filters.choices.map((spec) => (
        <label key={spec.name} className="inline-field">
          <span>{pick(spec.title)}</span>
          <select value={value.fields[spec.name] ?? ''} onChange={(e) => setField(spec.name, e.target.value)}>
            <option value="">{t('records.filter.all')}</option>
            {spec.options.map((o) => (
              <option key={o.value} value={o.value}>
                {pick(o.title)}
              </option>
            ))}
          </select>
        </label>
      ))}
      {commune ? (
        <label className="inline-field">
          <span>{t('records.filter.commune')}</span>
          <input
            type="search"
            value={communeText}
            list={listId}
            aria-describedby={hint ? hintId : undefined}
            placeholder={t('records.filter.communePlaceholder')}
            maxLength={100}
            onChange={(e) => {
              setCommuneText(e.target.value);
              setField(commune.name, communeCode(e.target.value));
            }}
          />
          <datalist id={listId}>
            {units.map((u) => (
              <option key={u.communeCode} value={u.communeName} label={u.communeCode} />
            ))}
          </datalist>
        </label>
      ) : null}
      {filters.due ? (
        <label className="inline-field">
          <span>{t('records.filter.due')}</span>
          <select value={value.due ?? ''} onChange={(e) => onChange({ ...value, due: (e.target.value || null) as DueFilter | null })}>
            <option value="">{t('records.filter.all')}</option>
            <option value="overdue">{t('records.filter.overdue')}</option>
            <option value="today">{t('records.filter.today')}</option>
          </select>
        </label>
      ) : null}
      {active || typed !== '' ? (
        <button
          type="button"
          onClick={() => {
            setCommuneText('');
            onChange({ fields: {}, due: null });
          }}
        >
          {t('records.filter.clear')}
        </button>
      ) : null}
      {hint ? (
        <p id={hintId} className="muted record-filters-hint" role="status">
          {hint}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The filters in force in words, for the count line ("Trạng thái: Đang xử lý, Thời hạn: Trễ hẹn"). */
export function describeFilter(
  filters: ListFilters,
  value: FilterValue,
  words: { commune: string; due: string; overdue: string; today: string },
  pick: (text: { vi: string; en: string }) => string,
): string {
  const parts: string[] = [];
  for (const spec of filters.choices) {
    const v = value.fields[spec.name];
    if (v) parts.push(`${pick(spec.title)}: ${pick(spec.options.find((o) => o.value === v)?.title ?? { vi: v, en: v })}`);
  }
  const commune = filters.commune ? value.fields[filters.commune.name] : undefined;
  if (commune) parts.push(`${words.commune}: ${commune}`);
  if (value.due) parts.push(`${words.due}: ${words[value.due]}`);
  return parts.join(', ');
}
