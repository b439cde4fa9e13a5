import { useTranslation } from 'react-i18next';
import type { HealthStateView, HealthTones } from '../api/types.js';
import { Badge } from './Badge.js';
import type { Tone } from './Badge.js';

/** The tray's colours too: a tone that differs from the engine's HEALTH_DISPLAY does not compile. */
export const HEALTH_TONE = {
  online: 'ok',
  degraded: 'warn',
  offline: 'danger',
  unauthorized: 'danger',
  clock_skew: 'danger',
  unchecked: 'neutral',
} as const satisfies HealthTones & Record<HealthStateView, Tone>;

/** The connection to the national platform in one word and one colour. */
export function HealthBadge({ state }: { state: HealthStateView | null }) {
  const { t } = useTranslation();
  if (!state) return <Badge tone="neutral">{t('health.unknown')}</Badge>;
  return <Badge tone={HEALTH_TONE[state]}>{t(`health.${state}`)}</Badge>;
}
