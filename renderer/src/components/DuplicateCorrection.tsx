import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, CommandInput, ConflictView, FieldError } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useFieldText } from '../hooks/useFieldText.js';
import { useLanguageSwitch } from '../hooks/useLanguageSwitch.js';
import { useLeave, useUnsavedWork } from '../hooks/useLeaveGuard.js';
import { useLocale } from '../hooks/useLocale.js';
import { sameValue } from '../model/conflict-choices.js';
import { dataOf, draftOf, fieldOfPointer, regroupedDraft, tidyDraft } from '../model/schema-form.js';
import type { FieldSpec } from '../model/schema-form.js';
import { FormField } from './FormField.js';
import { SteadyButton } from './SteadyButton.js';

interface Props {
  conflict: ConflictView;
  specs: ReadonlyMap<string, FieldSpec>;
  localData: Record<string, unknown>;
  busy: boolean;
  onResolve: (input: CommandInput<'conflicts.resolve'>) => Promise<ApiError | null>;
  onCancel: () => void;
}

/**
 * "Two different people": they cannot share the value the platform found on
 * the other record, so the person corrects it on this office's record from
 * the papers. The corrected record is checked by the engine's rules (a
 * personal ID must still agree with the birth date and gender) before it is
 * sent again.
 */
export function DuplicateCorrection({ conflict, specs, localData, busy, onResolve, onCancel }: Props) {
  const { t, i18n } = useTranslation();
  const { pick, language } = useLocale();
  const fieldText = useFieldText();
  const api = useApi();
  const fields = conflict.fields.map((f) => specs.get(f.field) ?? plainSpec(f.field, f.title));
  const [draft, setDraft] = useState(() => draftOf(fields, localData, language));
  // What the boxes held on opening: a correction typed and not sent is lost by leaving (or cancelling): that asks first.
  const [opened, setOpened] = useState(draft);
  useLanguageSwitch((from, to) => {
    setDraft((prev) => regroupedDraft(fields, prev, from, to));
    setOpened((prev) => regroupedDraft(fields, prev, from, to));
  });
  useUnsavedWork(fields.some((s) => (draft[s.name] ?? '') !== (opened[s.name] ?? '')));
  const leave = useLeave();
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [checking, setChecking] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const values = dataOf(fields, draft, language);
    const unchanged = fields.filter((s) => sameValue(values[s.name], localData[s.name]));
    if (unchanged.length > 0) {
      setErrors(unchanged.map((s) => ({ path: `/${s.name}`, code: 'duplicate_unchanged', messages: bothLanguages(i18n, s) })));
      return;
    }
    setChecking(true);
    const checked = await api.call('records.validate', { dataset: conflict.dataset, id: conflict.recordId, data: { ...localData, ...values } });
    setChecking(false);
    const problems = checked.ok ? checked.value.errors : [];
    if (problems.length > 0) {
      setErrors(problems);
      return;
    }
    const failure = await onResolve({ id: conflict.id, duplicate: 'keep-both', values });
    setErrors(failure?.fieldErrors ?? []);
  }

  const mine = (name: string) => errors.filter((e) => fieldOfPointer(e.path) === name);
  const others = errors.filter((e) => !fields.some((s) => s.name === fieldOfPointer(e.path)));
  return (
    <form className="duplicate-correction" onSubmit={(e) => void onSubmit(e)} noValidate>
      <p>{t('conflicts.duplicate.correctExplain', { fields: fields.map((s) => pick(s.title)).join(', ') })}</p>
      {fields.map((spec) => (
        <FormField
          key={spec.name}
          spec={spec}
          value={draft[spec.name] ?? ''}
          errors={mine(spec.name)}
          readOnly={false}
          idPrefix={`dup-${conflict.id}`}
          onChange={(value) => setDraft((prev) => ({ ...prev, [spec.name]: value }))}
          onBlur={() => setDraft((prev) => ({ ...prev, [spec.name]: tidyDraft(spec, prev[spec.name] ?? '') }))}
        />
      ))}
      {others.length > 0 ? (
        <div className="notice notice-error" role="alert">
          <ul>
            {others.map((e, i) => (
              <li key={`${e.path}-${i}`}>{fieldText.message(e, specs.get(fieldOfPointer(e.path) ?? ''))}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="form-actions">
        <SteadyButton type="submit" className="primary" unavailable={busy || checking}>
          {t('conflicts.duplicate.sendCorrected')}
        </SteadyButton>
        <button type="button" onClick={() => leave(onCancel)}>
          {t('conflicts.duplicate.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The message for a value left as it was, in both languages (a FieldError carries both). */
function bothLanguages(i18n: ReturnType<typeof useTranslation>['i18n'], spec: FieldSpec) {
  const say = (lng: 'vi' | 'en') => i18n.getFixedT(lng)('conflicts.duplicate.unchanged', { field: spec.title[lng] });
  return { vi: say('vi'), en: say('en') };
}

/** A text input for a clashing field the dataset's schema does not describe (not expected). */
function plainSpec(name: string, title: FieldSpec['title']): FieldSpec {
  return { name, kind: 'text', title, required: true, options: [] };
}
