import { useTranslation } from 'react-i18next';
import { Badge } from './Badge.js';

/**
 * What the national platform said of a record while a change of it was pending, which leaves this
 * office nothing it can send or edit about the record:
 * - `notOnPlatform`: it answered, holding back a change, that it no longer holds the record
 *   (OutboxEntryView / RecordView `notOnPlatform`): it accepts no change of it, so the change is not
 *   sent again nor the record edited; discarding the change is what is left, and entering the record
 *   again as a new one if it is still needed.
 * - `leftScope`: the record left this office's scope (ConflictView / OutboxEntryView / RecordView
 *   `leftScope`): said before the person settles the change, since settling it takes the record off
 *   this computer, and the platform refuses the change while the record is away.
 */
export type RecordMark = 'notOnPlatform' | 'leftScope';

/** A record's mark, one at most: the platform's own answer that it no longer holds the record says more than the scope. */
export function recordMark(of: { notOnPlatform?: boolean; leftScope: boolean }): RecordMark | null {
  return of.notOnPlatform ? 'notOnPlatform' : of.leftScope ? 'leftScope' : null;
}

const CLASS: Record<RecordMark, string> = { notOnPlatform: 'not-on-platform', leftScope: 'left-scope' };

/** The mark said in full, about a conflict (only a record that left the scope has one there), a held-back change, or the record; nothing without a mark. */
export function RecordMarkNotice(props: { mark: 'leftScope'; about: 'conflict' | 'held' | 'record' } | { mark: 'notOnPlatform' | null; about: 'held' | 'record' }) {
  const { t } = useTranslation();
  if (props.mark === null) return null;
  const text = props.mark === 'leftScope' ? t(`leftScope.${props.about}`) : t(`notOnPlatform.${props.about}`);
  return <p className={`notice notice-warn ${CLASS[props.mark]}-notice`}>{text}</p>;
}

/** The mark in a list's row; nothing without a mark. */
export function RecordMarkBadge({ mark }: { mark: RecordMark | null }) {
  const { t } = useTranslation();
  if (mark === null) return null;
  return (
    <span className={`row-mark-badge ${CLASS[mark]}-badge`}>
      <Badge tone="warn">{t(mark === 'leftScope' ? 'leftScope.badge' : 'notOnPlatform.badge')}</Badge>
    </span>
  );
}
