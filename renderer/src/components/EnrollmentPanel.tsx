import { useState } from 'react';
import type { FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useStatus } from '../hooks/useStatus.js';
import { checkPlatformAddress, tokenProblem } from '../model/platform-address.js';
import { Badge } from './Badge.js';
import type { Tone } from './Badge.js';
import { ErrorNotice } from './ErrorNotice.js';
import { LiveStatus } from './LiveStatus.js';
import { SteadyButton } from './SteadyButton.js';

type Enrollment = 'not_initialised' | 'not_enrolled' | 'pending' | 'active' | 'revoked';
const TONE: Record<Enrollment, Tone> = { not_initialised: 'neutral', not_enrolled: 'warn', pending: 'info', active: 'ok', revoked: 'danger' };

/** Enrollment state, and enrollment with the one-time token the platform's administrator issued. */
export function EnrollmentPanel() {
  const { t } = useTranslation();
  const api = useApi();
  const { status, reload } = useStatus();
  const [token, setToken] = useState('');
  const [platformUrl, setPlatformUrl] = useState('');
  const [siteCode, setSiteCode] = useState('');
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [result, setResult] = useState<'active' | 'pending' | null>(null);
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState({ token: false, platformUrl: false });

  // Checked before sending (the agent checks again): shown once a field was left or the form submitted.
  const tokenIssue = tokenProblem(token.trim());
  const address = platformUrl.trim() ? checkPlatformAddress(platformUrl.trim()) : ({ ok: true } as const);
  const tokenError = checked.token && tokenIssue ? t(tokenIssue === 'tooShort' ? 'settings.enrollment.tokenTooShort' : 'settings.enrollment.tokenTooLong') : null;
  const addressError = checked.platformUrl && !address.ok ? t(`settings.addressProblem.${address.problem}`) : null;

  async function enroll(event: FormEvent) {
    event.preventDefault();
    // Drawn before the focus moves to the first field with a problem, so it is announced with that problem.
    flushSync(() => setChecked({ token: true, platformUrl: true }));
    if (tokenIssue || !address.ok) {
      document.getElementById(tokenIssue ? 'enroll-token' : 'enroll-platform')?.focus();
      return;
    }
    setBusy(true);
    const answer = await api.call('enrollment.enroll', {
      token: token.trim(),
      ...(platformUrl.trim() ? { platformUrl: platformUrl.trim() } : {}),
      ...(siteCode.trim() ? { siteCode: siteCode.trim() } : {}),
    });
    setBusy(false);
    if (answer.ok) {
      setFailure(null);
      setResult(answer.value.status);
      setToken('');
      reload();
    } else {
      setResult(null);
      setFailure(answer.error);
    }
  }

  const state = status?.enrollment ?? null;
  return (
    <section className="panel" aria-labelledby="settings-enrollment">
      <h2 id="settings-enrollment">{t('settings.enrollment.title')}</h2>
      <p>
        {t('settings.enrollment.state')}{' '}
        {state ? <Badge tone={TONE[state]}>{t(`settings.enrollment.states.${state}`)}</Badge> : t('common.loading')}
      </p>
      {status?.siteCode ? (
        <p>
          {t('settings.siteCode')}: <span translate="no">{status.siteCode}</span>
        </p>
      ) : null}
      <form onSubmit={(e) => void enroll(e)} noValidate className="enroll-form">
        <p className="muted">{t('settings.enrollment.intro')}</p>
        <div className="field">
          <label htmlFor="enroll-token">
            {t('settings.enrollment.token')}
            <span className="required-mark" aria-hidden="true">
              *
            </span>
          </label>
          <input
            id="enroll-token"
            type="password"
            autoComplete="off"
            required
            minLength={16}
            maxLength={256}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            onBlur={() => token && setChecked((c) => ({ ...c, token: true }))}
            aria-invalid={tokenError ? true : undefined}
            aria-describedby={tokenError ? 'enroll-token-error' : undefined}
          />
          {tokenError ? (
            <p id="enroll-token-error" className="field-errors" role="alert">
              {tokenError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="enroll-platform">{t('settings.enrollment.platformUrl')}</label>
          <input
            id="enroll-platform"
            type="url"
            autoComplete="off"
            value={platformUrl}
            onChange={(e) => setPlatformUrl(e.target.value)}
            onBlur={() => setChecked((c) => ({ ...c, platformUrl: true }))}
            aria-invalid={addressError ? true : undefined}
            aria-describedby={addressError ? 'enroll-platform-error' : undefined}
          />
          {addressError ? (
            <p id="enroll-platform-error" className="field-errors" role="alert">
              {addressError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="enroll-site">{t('settings.enrollment.siteCode')}</label>
          <input id="enroll-site" type="text" autoComplete="off" value={siteCode} onChange={(e) => setSiteCode(e.target.value)} />
        </div>
        <ErrorNotice error={failure} />
        <LiveStatus id="enroll-outcome">
          {result ? <p className="notice notice-ok">{t(result === 'active' ? 'settings.enrollment.doneActive' : 'settings.enrollment.donePending')}</p> : null}
        </LiveStatus>
        <div className="form-actions">
          <SteadyButton type="submit" className="primary" unavailable={busy || token.trim() === ''}>
            {t('settings.enrollment.submit')}
          </SteadyButton>
        </div>
      </form>
    </section>
  );
}
