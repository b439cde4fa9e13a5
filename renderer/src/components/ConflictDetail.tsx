import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, CommandInput, CommandOutput, ConflictView, DatasetView } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useLanguageSwitch } from '../hooks/useLanguageSwitch.js';
import { useLeave, useUnsavedWork } from '../hooks/useLeaveGuard.js';
import { useLocale } from '../hooks/useLocale.js';
import { initialChoices, refreshedChoices, regroupedChoices, resolution, sameValue, withConflictingTaken } from '../model/conflict-choices.js';
import type { Choices } from '../model/conflict-choices.js';
import { fieldsOf } from '../model/schema-form.js';
import type { FieldSpec } from '../model/schema-form.js';
import { ConflictFieldRow, typedValueId } from './ConflictFieldRow.js';
import { PossibleDuplicate } from './PossibleDuplicate.js';
import { ErrorNotice } from './ErrorNotice.js';
import { RecordMarkNotice } from './RecordMark.js';
import { RestoredNotice } from './RestoredNotice.js';
import { SteadyButton } from './SteadyButton.js';

interface Props {
  conflict: ConflictView;
  dataset: DatasetView | undefined;
  /** The engine's answer: whether a change goes up, and whether the record is still on this computer. */
  onResolved: (outcome: CommandOutput<'conflicts.resolve'>) => void;
  onClose: () => void;
}

/**
 * One conflict, settled by a person. Field conflicts are decided field by
 * field; a delete against an edit is said in a sentence with two plain
 * choices; a possible duplicate shows both records. A record that left this
 * office's scope meanwhile is said so before the choice, and only the national
 * version is offered: the platform accepts nothing of this office's change of
 * it (the engine refuses to keep it). A conflict that arose from a restore of
 * the national platform from an older backup says so, and its National column
 * is headed as the side after the restore: that value may be older than this
 * office's (RestoredNotice). A conflict whose common base is not known says
 * why in one sentence, and its base column reads "unknown" (ConflictFieldRow).
 */
export function ConflictDetail({ conflict: opened, dataset, onResolved, onClose }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const { pick, dateTime, language } = useLocale();
  const specs = useMemo(() => new Map(fieldsOf(dataset?.schema ?? {}).map((s) => [s.name, s])), [dataset]);
  // The conflict as last shown: a sync may refresh it with a newer national version while the person decides.
  const [conflict, setConflict] = useState<ConflictView>(opened);
  const [choices, setChoices] = useState<Choices>(() => initialChoices(opened.fields));
  // A choice or typed value other than those shown on opening is lost by leaving without settling: leaving asks first.
  useUnsavedWork(!sameValue(choices, initialChoices(conflict.fields)));
  const leave = useLeave();
  const close = () => leave(onClose);
  // A typed whole number grouped as one language writes it (50.000.000) is regrouped as the other reads it (50,000,000).
  useLanguageSwitch((from, to) => setChoices((prev) => regroupedChoices(prev, specs, from, to)));
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  /** Rows set to "another value" with nothing typed when the person last submitted. */
  const [blank, setBlank] = useState<string[]>([]);
  /** Rows whose typed date could not be read when the person last submitted. */
  const [unreadable, setUnreadable] = useState<ReadonlySet<string>>(new Set());
  // The first of them takes the focus once its message is shown (a new object per submit: again after each one).
  const [focusTyped, setFocusTyped] = useState<{ field: string } | null>(null);
  useEffect(() => {
    if (focusTyped) document.getElementById(typedValueId(conflict.id, focusTyped.field))?.focus();
  }, [focusTyped, conflict.id]);
  const [busy, setBusy] = useState(false);
  // The detail takes the list's place: the keyboard focus moves with it, to its heading.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  async function resolve(input: CommandInput<'conflicts.resolve'>): Promise<ApiError | null> {
    setBusy(true);
    setFailure(null);
    // The version seen: the agent refuses the choice if the national side changed since.
    const answer = await api.call('conflicts.resolve', { ...input, version: conflict.version });
    if (!answer.ok && answer.error.code === 'conflict_unresolved') await showNewer();
    setBusy(false);
    if (answer.ok) onResolved(answer.value);
    else setFailure(answer.error);
    return answer.ok ? null : answer.error;
  }

  async function showNewer() {
    const fresh = await api.call('conflicts.get', { id: conflict.id });
    if (!fresh.ok || !fresh.value) return;
    const seen = conflict.fields;
    const newer = fresh.value;
    setConflict(newer);
    // What the person chose or typed for the fields the newer version left as they were stays; the changed ones are asked again.
    setChoices((prev) => refreshedChoices(seen, newer.fields, prev));
    setMissing([]);
    setBlank([]);
    setUnreadable(new Set());
  }

  function submitFields(event: FormEvent) {
    event.preventDefault();
    const { fields, values, missing: left, blank: empty, unreadable: unread } = resolution(conflict.fields, choices, specs, language);
    setMissing(left);
    setBlank(empty);
    setUnreadable(new Set(unread));
    // A typed date that cannot be read stays as typed, its row saying how to write it; an empty box asks for its value; nothing is sent.
    const first = conflict.fields.find((f) => empty.includes(f.field) || unread.includes(f.field));
    if (first) setFocusTyped({ field: first.field });
    if (left.length > 0 || empty.length > 0 || unread.length > 0) return;
    void resolve({ id: conflict.id, fields, ...(Object.keys(values).length ? { values } : {}) });
  }

  // Only the conflicting rows: the rows marked automatic keep their one-sided change, as take local / national do.
  const setAll = (take: 'local' | 'national') => setChoices((prev) => withConflictingTaken(conflict.fields, prev, take));
  const titleOf = (field: string) => pick(conflict.fields.find((f) => f.field === field)?.title) || field;
  // A delete against an edit: the side that keeps the edited record, and the one that keeps the delete.
  const edited = conflict.localDeleted ? 'national' : 'local';
  const deleted = conflict.localDeleted ? 'local' : 'national';
  // Out of the office's scope only the national side is offered: the platform would refuse this office's.
  const offered = (take: 'local' | 'national') => !conflict.leftScope || take === 'national';

  return (
    <section className="conflict-detail" aria-labelledby="conflict-title" onKeyDown={(event) => onDetailKey(event, close)}>
      <h2 id="conflict-title" ref={headingRef} tabIndex={-1}>
        {t(`conflicts.kind.${conflict.kind}`)}
        {conflict.title ? (
          <span className="form-subject" translate="no">
            {conflict.title}
          </span>
        ) : null}
      </h2>
      <p className="muted">
        {t('conflicts.detail.meta', { dataset: pick(dataset?.title) || conflict.dataset, at: dateTime(conflict.createdAt) })}
      </p>
      <p className="explain">{t(`conflicts.explain.${conflict.kind}`)}</p>
      {conflict.leftScope ? <RecordMarkNotice mark="leftScope" about="conflict" /> : null}
      <RestoredNotice restored={conflict.restored} />
      {conflict.baseUnknown ? <p className="explain base-unknown-note">{t(`conflicts.baseUnknown.${conflict.baseUnknown}`)}</p> : null}
      <ErrorNotice error={failure} specs={[...specs.values()]} />

      {conflict.kind === 'possible-duplicate' ? (
        <PossibleDuplicate conflict={conflict} specs={specs} busy={busy} onResolve={resolve} onClose={close} />
      ) : conflict.kind === 'delete-vs-edit' ? (
        <>
          <p className="delete-sentence">{t(conflict.localDeleted ? 'conflicts.deleteVsEdit.localDeleted' : 'conflicts.deleteVsEdit.nationalDeleted')}</p>
          <FieldTable conflict={conflict} specs={specs} choices={choices} setChoices={setChoices} unreadable={unreadable} readOnly />
          <div className="form-actions">
            {offered(edited) ? (
              <SteadyButton type="button" className="primary" unavailable={busy} onClick={() => void resolve({ id: conflict.id, take: edited })}>
                {t('conflicts.deleteVsEdit.keepEdited')}
              </SteadyButton>
            ) : null}
            {offered(deleted) ? (
              <SteadyButton type="button" className={offered(edited) ? undefined : 'primary'} unavailable={busy} onClick={() => void resolve({ id: conflict.id, take: deleted })}>
                {t('conflicts.deleteVsEdit.keepDeleted')}
              </SteadyButton>
            ) : null}
            <button type="button" onClick={close} aria-keyshortcuts="Escape">
              {t('common.back')}
            </button>
          </div>
        </>
      ) : conflict.leftScope ? (
        <>
          <FieldTable conflict={conflict} specs={specs} choices={choices} setChoices={setChoices} unreadable={unreadable} readOnly />
          <div className="form-actions">
            <SteadyButton type="button" className="primary" unavailable={busy} onClick={() => void resolve({ id: conflict.id, take: 'national' })}>
              {t('conflicts.detail.takeNational')}
            </SteadyButton>
            <button type="button" onClick={close} aria-keyshortcuts="Escape">
              {t('common.back')}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submitFields} noValidate>
          <div className="form-actions">
            <button type="button" onClick={() => setAll('local')}>
              {t('conflicts.detail.allLocal')}
            </button>
            <button type="button" onClick={() => setAll('national')}>
              {t('conflicts.detail.allNational')}
            </button>
          </div>
          <FieldTable conflict={conflict} specs={specs} choices={choices} setChoices={setChoices} unreadable={unreadable} readOnly={false} />
          {missing.length > 0 ? (
            <div className="notice notice-error" role="alert">
              {t('conflicts.detail.missing', { fields: missing.map(titleOf).join(', ') })}
            </div>
          ) : null}
          {blank.length > 0 ? (
            <div className="notice notice-error" role="alert">
              {t('conflicts.detail.blank', { fields: blank.map(titleOf).join(', ') })}
            </div>
          ) : null}
          <div className="form-actions">
            <SteadyButton type="submit" className="primary" unavailable={busy}>
              {t('conflicts.detail.submit')}
            </SteadyButton>
            <button type="button" onClick={close} aria-keyshortcuts="Escape">
              {t('common.back')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function FieldTable(props: {
  conflict: ConflictView;
  specs: ReadonlyMap<string, FieldSpec>;
  choices: Choices;
  setChoices: (update: (prev: Choices) => Choices) => void;
  unreadable: ReadonlySet<string>;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const { conflict, specs, choices, setChoices, unreadable, readOnly } = props;
  return (
    <div className="table-wrap">
      <table className={`conflict-table${readOnly ? ' is-read-only' : ''}`}>
        <caption className="visually-hidden">{t('conflicts.detail.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('conflicts.column.field')}</th>
            <th scope="col">{t('conflicts.column.base')}</th>
            <th scope="col">{t('conflicts.column.local')}</th>
            <th scope="col">{t(conflict.restored ? 'conflicts.column.nationalRestored' : 'conflicts.column.national')}</th>
            {readOnly ? null : <th scope="col">{t('conflicts.column.choice')}</th>}
          </tr>
        </thead>
        <tbody>
          {conflict.fields.map((f) => (
            <ConflictFieldRow
              key={f.field}
              conflictId={conflict.id}
              field={f}
              spec={specs.get(f.field)}
              choice={choices[f.field]}
              baseKnown={conflict.baseKnown}
              unreadable={unreadable.has(f.field)}
              readOnly={readOnly}
              onChange={(choice) => setChoices((prev) => ({ ...prev, [f.field]: choice }))}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Escape goes back to the list, as in the record form, through the leave guard (it asks first when a
 * choice or a typed value would be lost). Not from inside a dialog, whose own Escape closes it, nor a
 * key an input used or one that ends an input method's composition.
 */
function onDetailKey(event: KeyboardEvent<HTMLElement>, close: () => void): void {
  if (event.key !== 'Escape' || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
  if (event.defaultPrevented || event.nativeEvent.isComposing || (event.target as Element).closest('dialog')) return;
  event.preventDefault();
  close();
}
