import { useTranslation } from 'react-i18next';
import type { HealthStateView } from '../api/types.js';
import { Badge } from './Badge.js';
import type { Tone } from './Badge.js';

export const HEALTH_TONE: Record<HealthStateView, Tone> = {
  online: 'ok',
  degraded: 'warn',
  offline: 'danger',
  unauthorized: 'danger',
  clock_skew: 'warn',
};

/** The connection to the national platform in one word and one colour. */
export function HealthBadge({ state }: { state: HealthStateView | null }) {
  const { t } = useTranslation();
  if (!state) return <Badge tone="neutral">{t('health.unknown')}</Badge>;
  return <Badge tone={HEALTH_TONE[state]}>{t(`health.${state}`)}</Badge>;
}
