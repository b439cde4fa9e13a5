import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/types.js';
import { useLocale } from '../hooks/useLocale.js';
import { ConfirmDialog } from './ConfirmDialog.js';

interface Props {
  take: 'local' | 'national';
  /** How many conflicts the take settles (those selected and shown, or all the filter holds as the agent counted them). */
  count: number;
  /** Of them, those whose record left this office's scope: a take of this office's side leaves them open. */
  away: number;
  /** A take of all the filter holds: the possible duplicates among them, which no bulk take settles. */
  duplicates?: number;
  /** While a take of all the filter holds goes, page by page: how many are done. */
  progress?: number | null;
  busy: boolean;
  /** Why the whole bulk take was refused: shown in the dialog, which stays open. */
  error: ApiError | null;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * The question before a bulk take: one press settles every selected conflict
 * (or every one the filter holds) and no settled conflict can be reopened, so the
 * person is told how many, which side each keeps and what is given up, and
 * the focus starts on "not yet".
 */
export function BulkTakeConfirm({ take, count, away, duplicates = 0, progress = null, busy, error, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const local = take === 'local';
  return (
    <ConfirmDialog
      id="bulk-take"
      title={t(local ? 'conflicts.bulk.confirm.titleLocal' : 'conflicts.bulk.confirm.titleNational', { n: locale.number(count), count })}
      confirmLabel={t(local ? 'conflicts.bulk.confirm.confirmLocal' : 'conflicts.bulk.confirm.confirmNational')}
      cancelLabel={t('conflicts.bulk.confirm.cancel')}
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>{t(local ? 'conflicts.bulk.confirm.whatLocal' : 'conflicts.bulk.confirm.whatNational')}</p>
      {local && away > 0 ? <p className="bulk-away">{t('conflicts.bulk.outOfScopeChosen', { n: locale.number(away) })}</p> : null}
      {duplicates > 0 ? <p className="bulk-duplicates">{t('conflicts.bulk.confirm.duplicates', { n: locale.number(duplicates), count: duplicates })}</p> : null}
      <p>{t('conflicts.bulk.confirm.final')}</p>
      {progress !== null ? (
        <p role="status" className="bulk-progress">
          {t('conflicts.bulk.confirm.progress', { done: locale.number(progress), n: locale.number(count) })}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
