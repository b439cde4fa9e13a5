import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { browserStorage } from '../api/acting-as.js';
import { LastUsedValues } from '../api/last-used-values.js';
import type { ApiError, DatasetView, FieldError, RecordView } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useFieldText } from '../hooks/useFieldText.js';
import { useLanguageSwitch } from '../hooks/useLanguageSwitch.js';
import { useLeave, useUnsavedWork } from '../hooks/useLeaveGuard.js';
import { useLocale } from '../hooks/useLocale.js';
import { dataOf, draftOf, fieldsOf, groupErrors, regroupedDraft, tidyDraft } from '../model/schema-form.js';
import type { Draft, FieldSpec } from '../model/schema-form.js';
import { newRecordData, valuesToRemember } from '../model/new-record-values.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { ErrorNotice } from './ErrorNotice.js';
import { FormField } from './FormField.js';
import { onFormKey } from './form-keys.js';
import { HeldElsewhereNote, useHeldElsewhere } from './HeldElsewhere.js';
import { LookupLists } from './LookupLists.js';
import { recordMark, RecordMarkNotice } from './RecordMark.js';
import { RecordHistory } from './RecordHistory.js';
import { useAdminUnits } from '../hooks/useAdminUnits.js';
import { StatusBadge } from './StatusBadge.js';
import { unitCodeOf, unitNote } from './UnitNote.js';

/** Waits this long after the last blur before asking the engine, so tabbing through is quiet. */
const VALIDATE_DELAY_MS = 250;

interface Props {
  dataset: DatasetView;
  record: RecordView | null;
  onSaved: (id: string) => void;
  /** `sent` false: the record was created here and never sent, so it only left this computer. */
  onDeleted: (sent: boolean) => void;
  onClose: () => void;
  /** Opens another record of the dataset (one that already holds a value this form's unique field was given). */
  onOpenOther?: (record: RecordView) => void;
  /**
   * A new record's "Lưu và thêm tiếp" (Ctrl+Enter): saved, and the screen opens a fresh new-record form. Given
   * the saved record's title (its dataset's title field), or null when it has none, and its id.
   */
  onSavedAnother?: (title: string | null, id: string) => void;
  /** The keyboard focus starts on the first field, not the heading: the clerk goes on typing the next record. */
  focusFirstField?: boolean;
}

/**
 * A form generated from the dataset's JSON Schema. Each field is checked by the
 * engine's own rules (`records.validate`) when the user leaves it, and the whole
 * record again on submit; messages appear next to their field, matched by the
 * error's JSON pointer. A field shows its messages once it has been visited.
 * Deleting asks first, in a dialog that says what a delete does.
 */
export function RecordForm({ dataset, record, onSaved, onDeleted, onClose, onOpenOther, onSavedAnother, focusFirstField = false }: Props) {
  const { t } = useTranslation();
  const { language } = useLocale();
  const api = useApi();
  const fieldText = useFieldText();
  const specs = useMemo(() => fieldsOf(dataset.schema), [dataset.schema]);
  // A record that left the office's scope, or that the platform no longer holds, takes no change (the engine
  // refuses it): its notice says why and what to do, before anything is typed.
  const mark = record ? recordMark(record) : null;
  const readOnly = dataset.access !== 'read-write' || record?.deleted === true || mark !== null;
  const [lastUsed] = useState(() => new LastUsedValues(browserStorage()));
  // A new record starts with the values every record of this office holds (its province; its commune when it is one),
  // and the schema's defaults: today's date, the registrar's name last saved (model/new-record-values.ts).
  const [draft, setDraft] = useState<Draft>(() =>
    draftOf(specs, record ? record.data : newRecordData(specs, dataset, new Date(), (field) => lastUsed.get(dataset.name, field)), language),
  );
  // What the inputs held when the form opened: typed text that differs from it is lost by leaving without saving.
  const [opened, setOpened] = useState(draft);
  // A whole number shown or typed grouped (50.000.000) is regrouped as the other language reads it (50,000,000).
  useLanguageSwitch((from, to) => {
    setDraft((prev) => regroupedDraft(specs, prev, from, to));
    setOpened((prev) => regroupedDraft(specs, prev, from, to));
  });
  useUnsavedWork(!readOnly && specs.some((s) => (draft[s.name] ?? '') !== (opened[s.name] ?? '')));
  const leave = useLeave();
  // A change held back because the platform kept failing on it carries the agent's own reason for that: told, with
  // the next step, apart from the errors to fix (there is nothing to fix; the platform never judged it).
  const [faultReasons] = useState(() => (record?.platformFault ? (record.errors ?? []).filter(isPlatformFault) : []));
  // A rejected record arrives with the platform's reasons: show them at once.
  const [initialErrors] = useState(() => (record?.errors ?? []).filter((e) => !faultReasons.includes(e)));
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => (initialErrors.length ? new Set(specs.map((s) => s.name).concat('')) : new Set()));
  const [errors, setErrors] = useState<readonly FieldError[]>(initialErrors);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  /** The delete dialog is open; the delete is under way; why it was refused (shown in the dialog). */
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteFailure, setDeleteFailure] = useState<ApiError | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  /** Numbers the blur-time checks, so only the latest one's answer is shown. */
  const ticket = useRef(0);
  /** A ref, not state: a blur check answering mid-submit must see it at once. */
  const submitting = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const idPrefix = `rf-${dataset.name}`;
  const units = useAdminUnits(specs.some((s) => s.lookup));
  const provinceField = specs.find((s) => s.lookup === 'province')?.name;
  const heldElsewhere = useHeldElsewhere(dataset, record?.id ?? null);

  useEffect(() => () => clearTimeout(timer.current), []);
  // The form takes the list's place: the keyboard focus moves with it, to its heading; after "Lưu và thêm tiếp",
  // to the first field, where the next record's typing starts.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const first = focusFirstField && specs[0] ? document.getElementById(`${idPrefix}-${specs[0].name}`) : null;
    (first ?? headingRef.current)?.focus();
    // Where the focus starts is decided once, as the form opens.
  }, []);
  /** A new record (not an edit) may be saved with "Lưu và thêm tiếp". */
  const canSaveAnother = !readOnly && !record && onSavedAnother !== undefined;

  /** Asks the engine's rules about the whole record as the inputs hold it now. */
  function check(current: Draft) {
    return api.call('records.validate', { dataset: dataset.name, data: dataOf(specs, current, language), ...(record ? { id: record.id } : {}) });
  }

  function onBlur(name: string) {
    if (readOnly) return;
    setTouched((prev) => (prev.has(name) ? prev : new Set(prev).add(name)));
    clearTimeout(timer.current);
    // A personal ID number typed in groups ("001 325 000 123") shows as its digits once left.
    const spec = specs.find((s) => s.name === name);
    const text = draft[name] ?? '';
    // A commune ("ba dinh ha noi") or province ("ha noi", "TP Hồ Chí Minh") typed by its name shows as its code once
    // left, when the name names one (UnitNote.tsx).
    const code = spec ? unitCodeOf(spec, units, text) : null;
    const tidy = code ?? (spec ? tidyDraft(spec, text) : text);
    const snapshot = tidy === text ? draft : { ...draft, [name]: tidy };
    if (snapshot !== draft) setDraft((prev) => ({ ...prev, [name]: tidy }));
    heldElsewhere.check(name, tidy);
    timer.current = setTimeout(() => {
      const mine = ++ticket.current;
      void check(snapshot).then((answer) => {
        // A newer check, or a submit (which checks for itself), makes this answer stale.
        if (mine !== ticket.current || submitting.current) return;
        if (answer.ok) setErrors(answer.value.errors);
        setFailure(answer.ok ? null : answer.error);
      });
    }, VALIDATE_DELAY_MS);
  }

  /** DRAFT with each commune or province code field that holds one unit's name holding its code (UnitNote.tsx). */
  function withUnitCodes(from: Draft): Draft {
    let out = from;
    for (const spec of specs) {
      const text = from[spec.name] ?? '';
      const code = spec.lookup ? unitCodeOf(spec, units, text) : null;
      if (code !== null && code !== text) out = { ...out, [spec.name]: code };
    }
    return out;
  }

  /** "Lưu" (Enter in a field, Ctrl+S) closes the form once saved; `another`, "Lưu và thêm tiếp" (Ctrl+Enter), opens the next. */
  async function save(another: boolean) {
    if (readOnly || submitting.current) return;
    clearTimeout(timer.current);
    ticket.current++;
    submitting.current = true;
    setSaving(true);
    setTouched(new Set(specs.map((s) => s.name).concat('')));
    // A commune's or province's name saved without leaving its field (Enter, Ctrl+S, Ctrl+Enter) is read as its code,
    // as leaving the field reads it: not refused as "must be exactly 2 digits".
    const current = withUnitCodes(draft);
    if (current !== draft) setDraft(current);
    try {
      const checked = await check(current);
      if (!checked.ok || checked.value.errors.length > 0) {
        flushSync(() => {
          if (checked.ok) setErrors(checked.value.errors);
          setFailure(checked.ok ? null : checked.error);
        });
        focusFirstProblem(checked.ok ? checked.value.errors : []);
        return;
      }
      setErrors([]);
      const data = dataOf(specs, current, language);
      const answer = await api.call('records.put', { dataset: dataset.name, data, ...(record ? { id: record.id } : {}) });
      if (answer.ok) {
        // Only a new record's: an edit of another clerk's record must not change what this clerk's next one starts with.
        if (!record) lastUsed.remember(dataset.name, valuesToRemember(specs, dataset, data));
        const saved = data[dataset.display.titleField];
        if (another && canSaveAnother && onSavedAnother) onSavedAnother(typeof saved === 'string' ? saved : null, answer.value.id);
        else onSaved(answer.value.id);
        return;
      }
      flushSync(() => {
        setFailure(answer.error);
        if (answer.error.fieldErrors) setErrors(answer.error.fieldErrors);
      });
      focusFirstProblem(answer.error.fieldErrors ?? []);
    } finally {
      submitting.current = false;
      setSaving(false);
    }
  }

  /**
   * After a save that did not go through: the focus on the first field (in the form's order) with a
   * message, drawn with it, so the person fixes it at once and a screen reader says the field,
   * "invalid" and why; else on the summary, which holds the reason that concerns no one field.
   */
  function focusFirstProblem(found: readonly FieldError[]) {
    const { byField } = groupErrors(specs, found);
    const first = specs.find((s) => byField.has(s.name));
    const input = first ? document.getElementById(`${idPrefix}-${first.name}`) : null;
    (input ?? summaryRef.current)?.focus();
  }

  function askDelete() {
    setDeleteFailure(null);
    setConfirmingDelete(true);
  }

  async function onDelete() {
    if (!record || readOnly) return;
    setDeleting(true);
    const answer = await api.call('records.delete', { dataset: dataset.name, id: record.id });
    setDeleting(false);
    if (answer.ok) onDeleted(answer.value.sent);
    else setDeleteFailure(answer.error);
  }

  const { byField, general } = groupErrors(specs, errors);
  const visibleCount = [...byField.entries()].filter(([name]) => touched.has(name)).length + (touched.has('') ? general.length : 0);
  const generalReasons =
    general.length > 0 ? (
      <ul>
        {general.map((e, i) => (
          <li key={`${e.path}-${i}`}>{fieldText.message(e, undefined)}</li>
        ))}
      </ul>
    ) : null;
  const title = record?.data?.[dataset.display.titleField];

  /** A unique field's value another record on this computer holds: which one, and a button to open it. */
  function heldNote(spec: FieldSpec): ReactNode {
    const other = readOnly || !onOpenOther ? null : heldElsewhere.heldFor(spec.name, draft[spec.name] ?? '');
    if (!other || !onOpenOther) return null;
    return <HeldElsewhereNote spec={spec} dataset={dataset} other={other} onOpen={() => leave(() => onOpenOther(other))} />;
  }

  return (
    <>
      <form
        className="record-form"
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void save(false);
        }}
        onKeyDown={(e) => onFormKey(e, { readOnly, another: canSaveAnother, back: () => leave(onClose) })}
        aria-labelledby="record-form-title"
        aria-describedby={readOnly ? undefined : 'record-form-keys'}
      >
        <div className="form-head">
          <h2 id="record-form-title" ref={headingRef} tabIndex={-1}>
            {record ? t('records.form.editTitle') : t('records.form.newTitle')}
            {typeof title === 'string' ? (
              <span className="form-subject" translate="no">
                {title}
              </span>
            ) : null}
          </h2>
          {record ? <StatusBadge state={record.state} platformFault={record.platformFault} /> : null}
        </div>
        <RecordMarkNotice mark={mark} about="record" />
        <p className="muted">{readOnly ? t('records.form.readOnly') : t('form.requiredLegend')}</p>
        <div ref={summaryRef} tabIndex={-1} className="form-summary">
          <ErrorNotice error={failure} specs={specs} />
          {faultReasons.length > 0 ? (
            <div className="held-reasons platform-fault">
              <p>{t('records.form.platformFault')}</p>
              <ul>
                {faultReasons.map((e, i) => (
                  <li key={`${e.path}-${i}`}>{fieldText.message(e, undefined)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {readOnly && errors.length > 0 ? (
            // A read-only record's reasons are the platform's for holding its change back: told, not asked to be fixed.
            <div className="held-reasons">
              <p>{t('records.form.heldReasons')}</p>
              {generalReasons}
            </div>
          ) : visibleCount > 0 ? (
            <div className="notice notice-error" role="alert">
              <p>{t('form.errorsSummary', { n: visibleCount, count: visibleCount })}</p>
              {touched.has('') ? generalReasons : null}
            </div>
          ) : null}
        </div>
        <LookupLists units={units} province={provinceField ? (draft[provinceField] ?? '') : ''} />
        <div className="form-grid">
          {specs.map((spec) => (
            <FormField
              key={spec.name}
              spec={spec}
              idPrefix={idPrefix}
              value={draft[spec.name] ?? ''}
              errors={touched.has(spec.name) ? (byField.get(spec.name) ?? []) : []}
              readOnly={readOnly}
              onChange={(value) => setDraft((prev) => ({ ...prev, [spec.name]: value }))}
              onBlur={() => onBlur(spec.name)}
              note={unitNote(spec, draft[spec.name] ?? '', touched.has(spec.name), units, t) ?? heldNote(spec)}
            />
          ))}
        </div>
        <div className="form-actions">
          {readOnly ? null : (
            <button type="submit" className="primary" data-save="true" disabled={saving} aria-keyshortcuts="Control+S">
              {saving ? t('common.saving') : t('records.form.save')}
            </button>
          )}
          {canSaveAnother ? (
            // Not a submit button: Enter in a field keeps pressing "Lưu", and "Lưu" stays the form's one submit button.
            <button type="button" data-another="true" disabled={saving} aria-keyshortcuts="Control+Enter" onClick={() => void save(true)}>
              {t('records.form.saveAndNew')}
            </button>
          ) : null}
          <button type="button" onClick={() => leave(onClose)} aria-keyshortcuts="Escape">
            {t('records.form.back')}
          </button>
          {record && !readOnly ? (
            <button type="button" className="danger" aria-haspopup="dialog" onClick={askDelete}>
              {t('records.form.delete')}
            </button>
          ) : null}
        </div>
        {readOnly ? null : (
          <p className="muted form-keys" id="record-form-keys">
            {t(canSaveAnother ? 'records.form.keysNew' : 'records.form.keysEdit')}
          </p>
        )}
      </form>
      {record ? <RecordHistory dataset={dataset} recordId={record.id} specs={specs} /> : null}
      {confirmingDelete && record ? (
        <ConfirmDialog
          id="delete-record"
          title={t('records.form.deleteDialog.title')}
          subject={typeof title === 'string' ? title : null}
          confirmLabel={t('records.form.deleteDialog.confirm')}
          cancelLabel={t('records.form.deleteDialog.cancel')}
          busy={deleting}
          error={deleteFailure}
          onConfirm={() => void onDelete()}
          onCancel={() => setConfirmingDelete(false)}
        >
          <DeleteConsequences record={record} />
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/**
 * What deleting the record does (LocalWrites.delete): deleted here and the
 * deletion sent at the next sync, replacing this office's change that has not
 * gone up; a national edit meanwhile makes a conflict a person settles. A
 * record the platform never accepted only leaves this computer.
 */
function DeleteConsequences({ record }: { record: RecordView }) {
  const { t } = useTranslation();
  if (record.rev === null) {
    return (
      <>
        <p>{t('records.form.deleteDialog.unsent')}</p>
        <p>{t('records.form.deleteDialog.audit')}</p>
      </>
    );
  }
  return (
    <>
      <p>{t('records.form.deleteDialog.sent')}</p>
      {record.state === 'waiting' || record.state === 'rejected' ? <p>{t('records.form.deleteDialog.pending')}</p> : null}
      <p>{t('records.form.deleteDialog.edited')}</p>
      <p>{t('records.form.deleteDialog.audit')}</p>
    </>
  );
}

/** The agent's own reason for a change held back after the platform's repeated failures (sync/platform-fault.ts), not a field's. */
function isPlatformFault(error: FieldError): boolean {
  return error.code === 'platform_fault' && error.path === '';
}
