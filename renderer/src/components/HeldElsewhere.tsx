import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetView, RecordView } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useLocale } from '../hooks/useLocale.js';
import type { FieldSpec } from '../model/schema-form.js';

/**
 * "Typed twice", caught on this computer, offline too: when a field the
 * dataset keeps unique (a birth's personal ID number) is left holding a value
 * another record on this computer already holds, the field says so, naming
 * that record, with a button to open it. The save is not stopped: the person
 * may be about to correct the other record, and the national platform judges
 * uniqueness (its "possible duplicate" comes back as a conflict to settle).
 * The value is looked for through the records' search (`records.list`), then
 * compared on the field itself.
 */
export interface HeldElsewhere {
  /** After the person left `field` holding `value` (as it will be stored). */
  check(field: string, value: string): void;
  /** The other record holding the field's current value, or null. */
  heldFor(field: string, current: string): RecordView | null;
}

/** How many search matches are looked through for the exact value (a personal ID number matches a handful). */
const MATCHES_LOOKED_AT = 20;

export function useHeldElsewhere(dataset: DatasetView, recordId: string | null): HeldElsewhere {
  const api = useApi();
  const [held, setHeld] = useState<Readonly<Record<string, { value: string; record: RecordView } | null>>>({});
  /** Numbers each field's lookups, so only the latest one's answer is kept. */
  const tickets = useRef(new Map<string, number>());

  const check = useCallback(
    (field: string, value: string) => {
      if (!dataset.uniqueFields.includes(field)) return;
      const text = value.trim();
      const mine = (tickets.current.get(field) ?? 0) + 1;
      tickets.current.set(field, mine);
      if (text === '') return setHeld((prev) => ({ ...prev, [field]: null }));
      void api.call('records.list', { dataset: dataset.name, search: text, limit: MATCHES_LOOKED_AT }).then((answer) => {
        if (tickets.current.get(field) !== mine) return;
        const other = answer.ok
          ? answer.value.items.find((item) => item.id !== recordId && !item.deleted && item.data !== null && String(item.data[field] ?? '') === text)
          : undefined;
        setHeld((prev) => ({ ...prev, [field]: other ? { value: text, record: other } : null }));
      });
    },
    [api, dataset.name, dataset.uniqueFields, recordId],
  );

  const heldFor = useCallback((field: string, current: string) => {
    const found = held[field];
    return found && found.value === current.trim() ? found.record : null;
  }, [held]);

  return { check, heldFor };
}

/** The note under the field: which record already holds the value, and a button to open it. */
export function HeldElsewhereNote({ spec, dataset, other, onOpen }: { spec: FieldSpec; dataset: DatasetView; other: RecordView; onOpen: () => void }) {
  const { t } = useTranslation();
  const { pick } = useLocale();
  const title = other.data?.[dataset.display.titleField];
  return (
    <div className="held-elsewhere" role="status">
      <p>
        {t('records.form.heldElsewhere', {
          field: pick(spec.title),
          record: typeof title === 'string' && title.trim() !== '' ? title : other.id,
        })}
      </p>
      <button type="button" onClick={onOpen}>
        {t('records.form.openHeld')}
      </button>
    </div>
  );
}
