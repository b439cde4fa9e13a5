import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { ApiError, Settings } from '../api/types.js';
import { BackupAndDiagnostics } from '../components/BackupAndDiagnostics.js';
import { CommandHint } from '../components/CommandHint.js';
import { EnrollmentPanel } from '../components/EnrollmentPanel.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { LiveStatus } from '../components/LiveStatus.js';
import { useApi, useCommand } from '../hooks/useApi.js';
import { useUnsavedWork } from '../hooks/useLeaveGuard.js';
import { useLocale } from '../hooks/useLocale.js';
import { isLanguage } from '../i18n/index.js';
import type { Language } from '../i18n/index.js';
import { describeSchedule } from '../model/cron.js';
import { checkPlatformAddress } from '../model/platform-address.js';

type SettingsDraft = { platformUrl: string; schedule: string; proxy: string; language: Language };

function draftOf(s: Settings): SettingsDraft {
  return { platformUrl: s.platformUrl ?? '', schedule: s.schedule, proxy: s.proxy ?? '', language: s.language };
}

/** Only what changed is sent (settings.update takes a partial). */
function changes(saved: Settings, draft: SettingsDraft): Partial<Settings> {
  const next: Partial<Settings> = {};
  const url = draft.platformUrl.trim() || null;
  const proxy = draft.proxy.trim() || null;
  if (url !== saved.platformUrl) next.platformUrl = url;
  if (draft.schedule.trim() !== saved.schedule) next.schedule = draft.schedule.trim();
  if (proxy !== saved.proxy) next.proxy = proxy;
  if (draft.language !== saved.language) next.language = draft.language;
  return next;
}

/** Platform address, schedule, proxy, language; enrollment; backup and diagnostics now, restore for IT. */
export function SettingsScreen({ onLanguage }: { onLanguage: (language: Language) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const loaded = useCommand('settings.get', {});
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  /** The last check of the audit log; `checks` counts them, so the same answer to a second check is said again. */
  const [audit, setAudit] = useState<{ ok: boolean; events: number; brokenAt: number | null; checks: number } | null>(null);
  const [addressChecked, setAddressChecked] = useState(false);
  // A setting typed and not saved is lost by moving to another screen: the move asks first.
  useUnsavedWork(saved !== null && draft !== null && Object.keys(changes(saved, draft)).length > 0);

  useEffect(() => {
    if (loaded.result?.ok) {
      setSaved(loaded.result.value);
      setDraft(draftOf(loaded.result.value));
    }
  }, [loaded.result]);

  const preview = draft ? describeSchedule(draft.schedule, locale.language) : null;
  // Empty clears the address; anything else is checked before sending (the agent checks again).
  const address = draft?.platformUrl.trim() ? checkPlatformAddress(draft.platformUrl.trim()) : ({ ok: true } as const);
  const addressError = addressChecked && !address.ok ? t(`settings.addressProblem.${address.problem}`) : null;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!saved || !draft) return;
    // Drawn before the focus moves, so the field is announced with its problem.
    flushSync(() => setAddressChecked(true));
    if (!address.ok || preview === null) {
      // The first field with a problem takes the focus and is read with it (the schedule's: "not a schedule").
      setDone(false);
      document.getElementById(address.ok ? 'set-schedule' : 'set-platform')?.focus();
      return;
    }
    const answer = await api.call('settings.update', changes(saved, draft));
    if (!answer.ok) {
      setFailure(answer.error);
      setDone(false);
      return;
    }
    setFailure(null);
    setDone(true);
    setSaved(answer.value);
    setDraft(draftOf(answer.value));
    if (answer.value.language !== locale.language) onLanguage(answer.value.language);
  }

  async function verifyAudit() {
    const answer = await api.call('audit.verify', {});
    if (answer.ok) setAudit((last) => ({ ...answer.value, checks: (last?.checks ?? 0) + 1 }));
    else setFailure(answer.error);
  }

  const set = (patch: Partial<SettingsDraft>) => {
    setDone(false);
    setDraft((d) => (d ? { ...d, ...patch } : d));
  };

  return (
    <>
      <h1 className="screen-title" tabIndex={-1}>
        {t('settings.title')}
      </h1>
      {loaded.result && !loaded.result.ok ? <ErrorNotice error={loaded.result.error} /> : null}
      {draft && saved ? (
        <form className="panel settings-form" onSubmit={(e) => void save(e)} noValidate aria-labelledby="settings-connection">
          <h2 id="settings-connection">{t('settings.connection')}</h2>
          <div className="field">
            <label htmlFor="set-platform">{t('settings.platformUrl')}</label>
            <input
              id="set-platform"
              type="url"
              value={draft.platformUrl}
              onChange={(e) => set({ platformUrl: e.target.value })}
              onBlur={() => setAddressChecked(true)}
              aria-invalid={addressError ? true : undefined}
              aria-describedby={addressError ? 'set-platform-error' : undefined}
              autoComplete="off"
            />
            {addressError ? (
              <p id="set-platform-error" className="field-errors" role="alert">
                {addressError}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="set-schedule">{t('settings.schedule')}</label>
            <p className="field-hint" id="set-schedule-hint">
              {t('settings.scheduleHint')}
            </p>
            <input
              id="set-schedule"
              type="text"
              value={draft.schedule}
              onChange={(e) => set({ schedule: e.target.value })}
              aria-describedby="set-schedule-hint set-schedule-preview"
              aria-invalid={preview === null || undefined}
              autoComplete="off"
              spellCheck={false}
            />
            <p id="set-schedule-preview" className={preview ? 'schedule-preview' : 'field-errors'} aria-live="polite">
              {preview ? t('settings.schedulePreview', { text: preview }) : t('settings.scheduleInvalid')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="set-proxy">{t('settings.proxy')}</label>
            <p className="field-hint" id="set-proxy-hint">
              {t('settings.proxyHint')}
            </p>
            <input id="set-proxy" type="url" value={draft.proxy} onChange={(e) => set({ proxy: e.target.value })} aria-describedby="set-proxy-hint" autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="set-language">{t('settings.language')}</label>
            <select id="set-language" value={draft.language} onChange={(e) => isLanguage(e.target.value) && set({ language: e.target.value })}>
              <option value="vi" lang="vi">
                {t('language.name.vi', { lng: 'vi' })}
              </option>
              <option value="en" lang="en">
                {t('language.name.en', { lng: 'en' })}
              </option>
            </select>
          </div>
          <dl className="facts">
            <dt>{t('settings.siteCode')}</dt>
            <dd translate="no">{saved.siteCode ?? t('settings.notSet')}</dd>
            <dt>{t('settings.adminPort')}</dt>
            <dd>{saved.adminPort}</dd>
          </dl>
          <ErrorNotice error={failure} />
          <LiveStatus id="settings-outcome">{done ? <p className="notice notice-ok">{t('settings.saved')}</p> : null}</LiveStatus>
          <div className="form-actions">
            {/* Never disabled: a disabled button leaves the Tab order, and Enter in a field would do nothing and say nothing. */}
            <button type="submit" className="primary">
              {t('settings.save')}
            </button>
          </div>
        </form>
      ) : null}

      <EnrollmentPanel />

      <section className="panel" aria-labelledby="settings-maintenance">
        <h2 id="settings-maintenance">{t('settings.maintenance.title')}</h2>
        <p className="muted">{t('settings.maintenance.intro')}</p>
        <BackupAndDiagnostics />
        <CommandHint id="restore" label={t('settings.maintenance.restore')} explain={t('settings.maintenance.restoreExplain')} command={t('settings.maintenance.restoreCommand')} />
        <div className="command-hint">
          <button type="button" onClick={() => void verifyAudit()}>
            {t('settings.maintenance.verifyAudit')}
          </button>
          <LiveStatus id="audit-outcome">
            {audit ? (
              <p className={`notice ${audit.ok ? 'notice-ok' : 'notice-error'}`} key={audit.checks}>
                {audit.ok
                  ? t('settings.maintenance.auditOk', { n: locale.number(audit.events), count: audit.events })
                  : t('settings.maintenance.auditBroken', { n: locale.number(audit.events), at: audit.brokenAt ?? '' })}
              </p>
            ) : null}
          </LiveStatus>
        </div>
      </section>
    </>
  );
}
