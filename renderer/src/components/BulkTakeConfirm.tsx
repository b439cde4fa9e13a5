import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/types.js';
import { useLocale } from '../hooks/useLocale.js';
import { ConfirmDialog } from './ConfirmDialog.js';

interface Props {
  take: 'local' | 'national';
  /** How many conflicts the take settles (those selected and shown). */
  count: number;
  /** Of them, those whose record left this office's scope: a take of this office's side leaves them open. */
  away: number;
  busy: boolean;
  /** Why the whole bulk take was refused: shown in the dialog, which stays open. */
  error: ApiError | null;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * The question before a bulk take: one press settles every selected conflict
 * (up to a page of them) and no settled conflict can be reopened, so the
 * person is told how many, which side each keeps and what is given up, and
 * the focus starts on "not yet".
 */
export function BulkTakeConfirm({ take, count, away, busy, error, onConfirm, onCancel }: Props) {
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
      {local && away > 0 ? <p>{t('conflicts.bulk.outOfScopeChosen', { n: locale.number(away) })}</p> : null}
      <p>{t('conflicts.bulk.confirm.final')}</p>
    </ConfirmDialog>
  );
}
