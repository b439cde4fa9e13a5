import type { AgentStatusView } from '../api/types.js';
import type { Screen, Tone } from './screens.js';

/** Offline or unsent for longer than this is worth a person's attention. */
export const LONG_MS = 24 * 3600 * 1000;

export type AttentionId =
  | 'revoked'
  | 'notEnrolled'
  | 'pending'
  | 'unauthorized'
  | 'clockSkew'
  | 'offlineLong'
  | 'conflicts'
  | 'rejected'
  | 'platformFaults'
  | 'quarantined'
  | 'staleOutbox'
  | 'digestMismatch';

export interface AttentionItem {
  id: AttentionId;
  tone: Tone;
  /** Where the fix is made, when it is made in this window. */
  screen: Screen | null;
  count?: number;
  /** An ISO time the sentence mentions (last sync, oldest entry). */
  since?: string | null;
  datasets?: string[];
}

function olderThan(iso: string | null | undefined, now: number, ms: number): boolean {
  if (!iso) return true;
  const at = Date.parse(iso);
  return Number.isNaN(at) || now - at > ms;
}

/**
 * What needs a person first, most urgent first: the agent cannot sync at all
 * (enrollment, credentials, clock, a long outage) before the work that waits
 * for a decision (conflicts, rejected changes) before slower trouble.
 */
export function attentionItems(status: AgentStatusView, now: number): AttentionItem[] {
  const items: AttentionItem[] = [];
  const { enrollment, health } = status;
  if (enrollment === 'revoked') items.push({ id: 'revoked', tone: 'danger', screen: 'settings' });
  else if (enrollment === 'not_enrolled' || enrollment === 'not_initialised') items.push({ id: 'notEnrolled', tone: 'danger', screen: 'settings' });
  else if (enrollment === 'pending') items.push({ id: 'pending', tone: 'info', screen: 'settings' });
  if (health.state === 'unauthorized' && enrollment !== 'revoked') items.push({ id: 'unauthorized', tone: 'danger', screen: 'settings' });
  if (health.state === 'clock_skew') items.push({ id: 'clockSkew', tone: 'danger', screen: null });
  // Since the last run that went through: while the platform cannot be reached, a failed run is kept every few minutes.
  if ((health.state === 'offline' || health.state === 'degraded') && olderThan(status.lastSuccessAt, now, LONG_MS)) {
    items.push({ id: 'offlineLong', tone: 'danger', screen: 'history', since: status.lastSuccessAt });
  }
  if (status.openConflicts > 0) items.push({ id: 'conflicts', tone: 'warn', screen: 'conflicts', count: status.openConflicts });
  if (status.rejected > 0) items.push({ id: 'rejected', tone: 'danger', screen: 'outbox', count: status.rejected });
  // Held back because the platform kept failing on them: not rejected (it never judged them); sent again only by a retry.
  if (status.platformFaults > 0) items.push({ id: 'platformFaults', tone: 'warn', screen: 'outbox', count: status.platformFaults });
  if (status.rejected === 0 && status.platformFaults === 0 && status.outbox.quarantined > 0) items.push({ id: 'quarantined', tone: 'danger', screen: 'outbox', count: status.outbox.quarantined });
  if (status.outbox.depth > 0 && status.outbox.oldestAt && olderThan(status.outbox.oldestAt, now, LONG_MS)) {
    items.push({ id: 'staleOutbox', tone: 'warn', screen: 'outbox', count: status.outbox.depth, since: status.outbox.oldestAt });
  }
  const mismatched = status.datasets.filter((d) => d.digest === 'mismatch');
  if (mismatched.length > 0) items.push({ id: 'digestMismatch', tone: 'warn', screen: null, datasets: mismatched.map((d) => d.dataset) });
  return items;
}
