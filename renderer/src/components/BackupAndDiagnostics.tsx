import { useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResult, CommandInput, CommandOutput } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useLocale } from '../hooks/useLocale.js';
import { ErrorNotice } from './ErrorNotice.js';
import { SteadyButton } from './SteadyButton.js';

type FileCommand = 'backup.create' | 'diagnostics.export';

/**
 * "Back up now" and "Export diagnostics": office staff make either without a
 * command line. The agent writes the file into its own data folder and answers
 * where, how large and when; the path is selectable whole with one click, for
 * IT to pick the file up.
 */
export function BackupAndDiagnostics() {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <>
      <FileAction
        id="backup"
        command="backup.create"
        label={t('settings.maintenance.backupNow')}
        working={t('settings.maintenance.backingUp')}
        made={(backup) => (
          <>
            <SavedPath lead={t('settings.maintenance.backupDone')} path={backup.path} />
            <p>{t('settings.maintenance.backupFacts', { records: locale.number(backup.records), count: backup.records, size: locale.bytes(backup.bytes), at: locale.dateTime(backup.createdAt) })}</p>
          </>
        )}
      />
      <FileAction
        id="diagnostics"
        command="diagnostics.export"
        label={t('settings.maintenance.diagnosticsNow')}
        working={t('settings.maintenance.exporting')}
        made={(bundle) => (
          <>
            <SavedPath lead={t('settings.maintenance.diagnosticsDone')} path={bundle.path} />
            <p>{t('settings.maintenance.diagnosticsFacts', { size: locale.bytes(bundle.bytes), at: locale.dateTime(bundle.createdAt) })}</p>
            {bundle.database === 'problems' ? <p className="reasons">{t('settings.maintenance.databaseProblems')}</p> : null}
          </>
        )}
      />
    </>
  );
}

function FileAction<C extends FileCommand>(props: { id: string; command: C; label: string; working: string; made: (value: CommandOutput<C>) => ReactNode }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ApiResult<CommandOutput<C>> | null>(null);

  async function run() {
    setBusy(true);
    setAnswer(null);
    // Both commands take no input: the agent, not the caller, decides where the file goes.
    const result = await api.call(props.command, {} as CommandInput<C>);
    setAnswer(result);
    setBusy(false);
  }

  return (
    <div className="command-hint file-action">
      <SteadyButton type="button" onClick={() => void run()} unavailable={busy} aria-describedby={`${props.id}-outcome`}>
        {props.label}
      </SteadyButton>
      <div id={`${props.id}-outcome`} role="status">
        {busy ? <p className="muted">{props.working}</p> : null}
        {answer?.ok ? <div className="notice notice-ok">{props.made(answer.value)}</div> : null}
      </div>
      {answer && !answer.ok ? <ErrorNotice error={answer.error} /> : null}
    </div>
  );
}

function SavedPath({ lead, path }: { lead: string; path: string }) {
  return (
    <p>
      {lead} <code className="saved-path" translate="no">{path}</code>
    </p>
  );
}
