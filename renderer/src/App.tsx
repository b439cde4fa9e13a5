import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActingAs } from './api/acting-as.js';
import type { ConsoleAccess } from './api/console-access.js';
import type { AgentApi } from './api/types.js';
import { ActingAsControl, ActingAsDialog } from './components/ActingAs.js';
import { Badge } from './components/Badge.js';
import { ConfirmDialog } from './components/ConfirmDialog.js';
import { ConsoleAccessNotice } from './components/ConsoleAccessNotice.js';
import { HealthBadge } from './components/HealthBadge.js';
import { LanguageSwitch } from './components/LanguageSwitch.js';
import { SyncAnnouncer } from './components/SyncAnnouncer.js';
import { AdminUnitsProvider } from './hooks/useAdminUnits.js';
import { ApiContext } from './hooks/useApi.js';
import { LeaveGuardContext } from './hooks/useLeaveGuard.js';
import type { LeaveGuard } from './hooks/useLeaveGuard.js';
import { useLocale } from './hooks/useLocale.js';
import { NavigationContext, SCREENS } from './hooks/useNavigation.js';
import type { NavigationIntent, Screen } from './hooks/useNavigation.js';
import { StatusProvider, useStatus } from './hooks/useStatus.js';
import { isLanguage } from './i18n/index.js';
import type { Language } from './i18n/index.js';
import { ConflictsScreen } from './screens/ConflictsScreen.js';
import { HistoryScreen } from './screens/HistoryScreen.js';
import { OutboxScreen } from './screens/OutboxScreen.js';
import { OverviewScreen } from './screens/OverviewScreen.js';
import { RecordsScreen } from './screens/RecordsScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';

/**
 * The window: a header (connection, who acts in the web console, language), the
 * screens' navigation, and the current screen. `actingAs` is the web console's
 * person (null in the Electron window, whose main process names its OS user);
 * `access`, whether the service still takes the web console's token (null in
 * the window).
 */
export function App({ api, actingAs = null, access = null }: { api: AgentApi; actingAs?: ActingAs | null; access?: ConsoleAccess | null }) {
  return (
    <ApiContext.Provider value={api}>
      <StatusProvider>
        <AdminUnitsProvider>
          <Shell api={api} actingAs={actingAs} access={access} />
        </AdminUnitsProvider>
      </StatusProvider>
    </ApiContext.Provider>
  );
}

function Shell({ api, actingAs, access }: { api: AgentApi; actingAs: ActingAs | null; access: ConsoleAccess | null }) {
  const { t, i18n } = useTranslation();
  const { pick } = useLocale();
  const { status, error } = useStatus();
  // The service stopped answering (the window is its client): the last state it sent is old news, not now's.
  const serviceGone = error?.code === 'unreachable';
  const [screen, setScreen] = useState<Screen>('overview');
  /** Bumped on every navigation: choosing the current screen again returns it to its start. */
  const [visit, setVisit] = useState(0);
  const mainRef = useRef<HTMLElement>(null);
  const moved = useRef(false);

  // The agent remembers the language (its tray and notifications speak it too): the window takes
  // it once, at start, unless the person has chosen one meanwhile. react-i18next hands out a new
  // `i18n` on every change of language, so without `settled` this effect ran again after each
  // choice, and its answer, read before the agent had saved the choice, switched the window back.
  const settled = useRef(false);
  useEffect(() => {
    if (settled.current) return;
    void api.call('settings.get', {}).then((answer) => {
      if (settled.current) return;
      settled.current = true;
      if (answer.ok && isLanguage(answer.value.language) && answer.value.language !== i18n.language) void i18n.changeLanguage(answer.value.language);
    });
  }, [api, i18n]);

  const changeLanguage = useCallback(
    (language: Language) => {
      settled.current = true;
      void i18n.changeLanguage(language);
      void api.call('settings.update', { language });
    },
    [api, i18n],
  );

  // Forms with typed text not yet saved; a move away from them waits for the person's word (`leaving`).
  const unsaved = useRef(new Set<string>());
  const [leaving, setLeaving] = useState<{ go: () => void } | null>(null);
  const guard = useMemo<LeaveGuard>(
    () => ({
      setUnsaved: (id, is) => void (is ? unsaved.current.add(id) : unsaved.current.delete(id)),
      leave: (go) => (unsaved.current.size === 0 ? go() : setLeaving({ go })),
    }),
    [],
  );

  /** What the screen moved to opens at once (a record from the Outbox); the next move forgets it. */
  const [intent, setIntent] = useState<NavigationIntent | null>(null);
  const navigate = useCallback(
    (next: Screen, wanted?: NavigationIntent) =>
      guard.leave(() => {
        moved.current = true;
        setScreen(next);
        setIntent(wanted ?? null);
        setVisit((n) => n + 1);
      }),
    [guard],
  );

  // After moving to another screen, put the keyboard focus on its heading.
  useEffect(() => {
    if (!moved.current) return;
    mainRef.current?.querySelector<HTMLElement>('.screen-title')?.focus();
  }, [screen, visit]);

  const conflicts = status?.openConflicts ?? 0;
  return (
    <LeaveGuardContext.Provider value={guard}>
      <NavigationContext.Provider value={navigate}>
        <a className="skip-link" href="#main">
          {t('app.skipToMain')}
        </a>
        <header className="app-header">
          <div className="brand">
            <span className="brand-name">{t('app.name')}</span>
            {status?.siteCode ? (
              <span className="brand-site">
                {t('app.site')} <span translate="no">{status.siteCode}</span>
              </span>
            ) : null}
          </div>
          <div className="header-status" role="status" aria-label={t('app.connection')}>
            {serviceGone ? <Badge tone="neutral">{t('health.notKnown')}</Badge> : <HealthBadge state={status?.health.state ?? null} />}
            <span className="header-reason">
              {serviceGone ? t('app.connectionNotKnown', { reason: pick(error.messages) }) : status ? pick(status.health.reason) : t('common.loading')}
            </span>
          </div>
          {actingAs ? <ActingAsControl store={actingAs} /> : null}
          <LanguageSwitch onChange={changeLanguage} />
        </header>
        <nav className="app-nav" aria-label={t('nav.label')}>
          <ul>
            {SCREENS.map((s) => (
              <li key={s}>
                <button type="button" aria-current={screen === s ? 'page' : undefined} onClick={() => navigate(s)} data-screen={s}>
                  {t(`nav.${s}`)}
                  {s === 'conflicts' && conflicts > 0 ? (
                    <span className="nav-count">
                      <span className="visually-hidden">{t('nav.openConflicts')}</span> {conflicts}
                    </span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {access ? <ConsoleAccessNotice access={access} /> : null}
        <main id="main" ref={mainRef} tabIndex={-1} data-screen={screen} key={visit}>
          {screen === 'overview' ? <OverviewScreen /> : null}
          {screen === 'records' ? <RecordsScreen open={intent?.openRecord ?? null} /> : null}
          {screen === 'outbox' ? <OutboxScreen /> : null}
          {screen === 'conflicts' ? <ConflictsScreen /> : null}
          {screen === 'history' ? <HistoryScreen /> : null}
          {screen === 'settings' ? <SettingsScreen onLanguage={(l) => void i18n.changeLanguage(l)} /> : null}
        </main>
        {actingAs ? <ActingAsDialog store={actingAs} /> : null}
        {leaving ? (
          <ConfirmDialog
            id="leave-unsaved"
            title={t('app.leaveUnsaved.title')}
            confirmLabel={t('app.leaveUnsaved.confirm')}
            cancelLabel={t('app.leaveUnsaved.cancel')}
            busy={false}
            error={null}
            onConfirm={() => {
              unsaved.current.clear();
              setLeaving(null);
              leaving.go();
            }}
            onCancel={() => setLeaving(null)}
          >
            <p>{t('app.leaveUnsaved.text')}</p>
          </ConfirmDialog>
        ) : null}
        <SyncAnnouncer />
      </NavigationContext.Provider>
    </LeaveGuardContext.Provider>
  );
}
