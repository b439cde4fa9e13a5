import { useTranslation } from 'react-i18next';
import type { RecordState } from '../api/types.js';
import { Badge } from './Badge.js';
import type { Tone } from './Badge.js';

const TONE: Record<RecordState, Tone> = { synced: 'ok', waiting: 'info', conflict: 'warn', rejected: 'danger' };

/** A record's sync state: synced, waiting to go up, in conflict, or rejected by the platform. */
export function StatusBadge({ state }: { state: RecordState }) {
  const { t } = useTranslation();
  return <Badge tone={TONE[state]}>{t(`recordState.${state}`)}</Badge>;
}
