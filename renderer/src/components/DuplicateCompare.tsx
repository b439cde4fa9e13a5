import { useTranslation } from 'react-i18next';
import type { ConflictView } from '../api/types.js';
import { useLocale } from '../hooks/useLocale.js';
import { sameValue } from '../model/conflict-choices.js';
import type { FieldSpec } from '../model/schema-form.js';
import { ValueText } from './ValueText.js';

/**
 * A possible duplicate: this office's new record next to the record the
 * platform already holds with the same unique value. Equal values are marked
 * "same" in words, so a person can judge whether it is one citizen or two.
 */
export function DuplicateCompare(props: { conflict: ConflictView; specs: ReadonlyMap<string, FieldSpec>; localData: Record<string, unknown> }) {
  const { t } = useTranslation();
  const { pick } = useLocale();
  const { conflict, specs, localData } = props;
  const existing = conflict.existing?.data ?? {};
  const names = [...new Set([...specs.keys(), ...Object.keys(localData), ...Object.keys(existing)])].filter(
    (n) => n in localData || n in existing,
  );

  return (
    <div className="table-wrap">
        <table className="duplicate-table">
          <caption className="visually-hidden">{t('conflicts.duplicate.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('conflicts.column.field')}</th>
              <th scope="col">{t('conflicts.duplicate.local')}</th>
              <th scope="col">{t('conflicts.duplicate.existing')}</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const spec = specs.get(name);
              const same = sameValue(localData[name], existing[name]);
              return (
                <tr key={name} className={same ? 'is-same' : undefined}>
                  <th scope="row">
                    {spec ? pick(spec.title) : name}
                    {same ? <span className="change-tag">{t('conflicts.duplicate.same')}</span> : null}
                  </th>
                  <td>
                    <ValueText value={localData[name]} spec={spec} />
                  </td>
                  <td>
                    <ValueText value={existing[name]} spec={spec} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
    </div>
  );
}
