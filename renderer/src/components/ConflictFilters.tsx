import { useTranslation } from 'react-i18next';
import type { ConflictView, DatasetView } from '../api/types.js';
import { useLocale } from '../hooks/useLocale.js';
import { fieldsOf } from '../model/schema-form.js';

const KINDS: readonly ConflictView['kind'][] = ['fields', 'delete-vs-edit', 'create-collision', 'possible-duplicate'];

interface Props {
  datasets: readonly DatasetView[];
  dataset: string;
  kind: ConflictView['kind'] | '';
  /** Only the conflicts whose one conflicting field is this one ('' none): offered once a dataset is chosen. */
  field: string;
  onDataset(dataset: string): void;
  onKind(kind: ConflictView['kind'] | ''): void;
  onField(field: string): void;
}

/**
 * The open conflicts' filters, applied by the agent to all of them: the dataset, the kind, and, in a
 * dataset, the one field left to decide, so that a take of one side for the alike conflicts is a take of
 * that field alone (one with another field to decide is not among them: nothing of it is decided unseen).
 */
export function ConflictFilters({ datasets, dataset, kind, field, onDataset, onKind, onField }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const chosen = datasets.find((d) => d.name === dataset);
  return (
    <>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('conflicts.filter.dataset')}</span>
          <select value={dataset} onChange={(e) => onDataset(e.target.value)}>
            <option value="">{t('conflicts.filter.all')}</option>
            {datasets.map((d) => (
              <option key={d.name} value={d.name}>
                {locale.pick(d.title)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>{t('conflicts.filter.kind')}</span>
          <select value={kind} onChange={(e) => onKind(e.target.value as ConflictView['kind'] | '')}>
            <option value="">{t('conflicts.filter.all')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`conflicts.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {chosen ? (
          <label className="inline-field">
            <span>{t('conflicts.filter.field')}</span>
            <select value={field} onChange={(e) => onField(e.target.value)} aria-describedby={field ? 'conflicts-field-note' : undefined}>
              <option value="">{t('conflicts.filter.anyField')}</option>
              {fieldsOf(chosen.schema).map((f) => (
                <option key={f.name} value={f.name}>
                  {locale.pick(f.title)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {field ? (
        <p className="muted" id="conflicts-field-note">
          {t('conflicts.filter.fieldNote')}
        </p>
      ) : null}
    </>
  );
}
