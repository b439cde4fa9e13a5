import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResult, CommandOutput, RecordState } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useLocale } from '../hooks/useLocale.js';
import { ErrorNotice } from './ErrorNotice.js';
import { SteadyButton } from './SteadyButton.js';

/**
 * The Records screen's "Xuất CSV" / "Export CSV": what the list shows (the
 * dataset, the search text, the state) as a CSV file Excel opens, in the
 * window's language. As "Back up now", the agent writes the file into its own
 * data folder (exports/) and answers where: a browser never chooses a path on
 * disk. The button sits in the toolbar; the answer, or why not, in a status
 * region under it (ExportCsvOutcome).
 */
export interface CsvExport {
  busy: boolean;
  answer: ApiResult<CommandOutput<'records.export'>> | null;
  run(filter: { dataset: string; search: string; state: RecordState | null }): Promise<void>;
}

export function useCsvExport(): CsvExport {
  const { i18n } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<CsvExport['answer']>(null);
  return {
    busy,
    answer,
    async run({ dataset, search, state }) {
      setBusy(true);
      setAnswer(null);
      const lang = i18n.language === 'en' ? 'en' : 'vi';
      setAnswer(await api.call('records.export', { dataset, lang, ...(search.trim() ? { search: search.trim() } : {}), ...(state ? { state } : {}) }));
      setBusy(false);
    },
  };
}

const OUTCOME_ID = 'export-csv-outcome';

export function ExportCsvButton({ exporter, onPress }: { exporter: CsvExport; onPress: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <SteadyButton type="button" onClick={onPress} unavailable={exporter.busy} aria-describedby={`export-csv-about ${OUTCOME_ID}`}>
        {t('records.export.button')}
      </SteadyButton>
      <span id="export-csv-about" className="visually-hidden">
        {t('records.export.about')}
      </span>
    </>
  );
}

export function ExportCsvOutcome({ exporter }: { exporter: CsvExport }) {
  const { t } = useTranslation();
  const { number } = useLocale();
  const { busy, answer } = exporter;
  return (
    <>
      <div id={OUTCOME_ID} role="status">
        {busy ? <p className="muted">{t('records.export.working')}</p> : null}
        {answer?.ok ? (
          <p className="notice notice-ok">
            {t('records.export.done', { n: number(answer.value.records), count: answer.value.records })}{' '}
            <code className="saved-path" translate="no">
              {answer.value.path}
            </code>
          </p>
        ) : null}
      </div>
      {answer && !answer.ok ? <ErrorNotice error={answer.error} /> : null}
    </>
  );
}
