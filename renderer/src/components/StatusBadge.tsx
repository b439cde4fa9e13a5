import { useTranslation } from 'react-i18next';
import type { RecordState } from '../api/types.js';
import { Badge } from './Badge.js';
import type { Tone } from './Badge.js';

const TONE: Record<RecordState, Tone> = { synced: 'ok', waiting: 'info', conflict: 'warn', rejected: 'danger' };

/**
 * A record's sync state: synced, waiting to go up, in conflict, or rejected by the platform; a change
 * held back because the platform kept failing on it (RecordView `platformFault`) is not said to be
 * rejected: the platform never judged it.
 */
export function StatusBadge({ state, platformFault }: { state: RecordState; platformFault?: boolean | undefined }) {
  const { t } = useTranslation();
  if (platformFault) return <Badge tone="warn">{t('recordState.platformFault')}</Badge>;
  return <Badge tone={TONE[state]}>{t(`recordState.${state}`)}</Badge>;
}
