import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, CommandInput, ConflictView } from '../api/types.js';
import { useCommand } from '../hooks/useApi.js';
import { useLocale } from '../hooks/useLocale.js';
import type { FieldSpec } from '../model/schema-form.js';
import { DuplicateCompare } from './DuplicateCompare.js';
import { DuplicateCorrection } from './DuplicateCorrection.js';
import { ErrorNotice } from './ErrorNotice.js';
import { SteadyButton } from './SteadyButton.js';

interface Props {
  conflict: ConflictView;
  specs: ReadonlyMap<string, FieldSpec>;
  busy: boolean;
  onResolve: (input: CommandInput<'conflicts.resolve'>) => Promise<ApiError | null>;
  onClose: () => void;
}

/**
 * A possible duplicate: both records side by side, then one of three answers.
 * The same person: this office's record goes. Two people: they cannot share
 * the clashing value, so the person corrects it and the record is sent again.
 * The other record was the wrong one and its office has corrected it: this
 * one is sent again as it is. A record that left this office's scope is sent
 * nowhere (the platform would refuse it): only the first answer is offered.
 */
export function PossibleDuplicate({ conflict, specs, busy, onResolve, onClose }: Props) {
  const { t } = useTranslation();
  const { pick } = useLocale();
  const [correcting, setCorrecting] = useState(false);
  const local = useCommand('records.get', { dataset: conflict.dataset, id: conflict.recordId });
  const fromFields = Object.fromEntries(conflict.fields.map((f) => [f.field, f.local]));
  const localData = (local.result?.ok ? local.result.value?.data : null) ?? fromFields;
  const clashing = conflict.fields.map((f) => pick(f.title)).join(', ');

  return (
    <>
      {local.result && !local.result.ok ? <ErrorNotice error={local.result.error} /> : null}
      <DuplicateCompare conflict={conflict} specs={specs} localData={localData} />
      {correcting ? (
        <DuplicateCorrection conflict={conflict} specs={specs} localData={localData} busy={busy} onResolve={onResolve} onCancel={() => setCorrecting(false)} />
      ) : (
        <div className="form-actions">
          {conflict.leftScope ? null : (
            <SteadyButton type="button" className="primary" unavailable={busy} onClick={() => setCorrecting(true)}>
              {t('conflicts.duplicate.keepBoth', { fields: clashing })}
            </SteadyButton>
          )}
          <SteadyButton
            type="button"
            className={conflict.leftScope ? 'primary' : undefined}
            unavailable={busy}
            onClick={() => void onResolve({ id: conflict.id, duplicate: 'discard-local' })}
          >
            {t('conflicts.duplicate.discardLocal')}
          </SteadyButton>
          {conflict.leftScope ? null : (
            <SteadyButton type="button" unavailable={busy} onClick={() => void onResolve({ id: conflict.id, take: 'local' })}>
              {t('conflicts.duplicate.sendAgain')}
            </SteadyButton>
          )}
          <button type="button" onClick={onClose}>
            {t('common.back')}
          </button>
        </div>
      )}
    </>
  );
}
