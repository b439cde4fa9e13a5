import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveBytes, type SaveOutcome } from '../api/save-file.js';
import type { AgentApi, ApiError, ApiResult, CommandInput, CommandOutput, RecordState } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useLocale } from '../hooks/useLocale.js';
import { ErrorNotice } from './ErrorNotice.js';
import { SavedFile } from './SavedFile.js';
import { SteadyButton } from './SteadyButton.js';

/**
 * The Records screen's "Xuất Excel" / "Export Excel" and "Xuất CSV" /
 * "Export CSV": what the list shows (the dataset, the search text, the state)
 * as an Excel workbook (.xlsx: IDs and codes as Text cells, their leading
 * zeros kept) or a CSV file, in the window's language. As "Back up now", the agent writes the file into its own
 * data folder (exports/): a browser never chooses a path on disk. That folder
 * is usually the background service's, which the clerk's account cannot open,
 * so the file then comes back at once through exports.read, a chunk at a
 * time, and is saved by saveBytes (api/save-file.ts): a browser's download
 * (into Downloads), the window's Save dialog through main (the path the
 * person chose is said). One press gets the file onto this computer; "Lưu tệp
 * về máy…" / "Save file…" gets it again (a Save dialog cancelled, a failed
 * transfer). The button sits in the toolbar; the
 * answer, the progress, or why not, in a status region under it
 * (ExportCsvOutcome).
 */
export interface CsvExport {
  /** An export or its transfer is under way: the button takes no press. */
  busy: boolean;
  /** The last export's kind. */
  format: ExportFormat;
  answer: ApiResult<CommandOutput<'records.export'>> | null;
  /** The transfer to this computer: the share received (0 to 100) while it runs, its outcome after. */
  transfer: Transfer | null;
  /** `filter`: the schema's filters the list shows (model/record-filters.ts apiFilter), exported alike. */
  run(filter: { dataset: string; search: string; state: RecordState | null; filter?: CommandInput<'records.export'>['filter'] }, format: ExportFormat): Promise<void>;
  /** Gets the last export's file onto this computer again. */
  save(): Promise<void>;
}

export type Transfer = { kind: 'running'; percent: number } | SaveOutcome;

export type ExportFormat = 'xlsx' | 'csv';

export function useCsvExport(): CsvExport {
  const { i18n } = useTranslation();
  const api = useApi();
  const [exporting, setExporting] = useState(false);
  const [answer, setAnswer] = useState<CsvExport['answer']>(null);
  const [transfer, setTransfer] = useState<Transfer | null>(null);
  const [format, setFormat] = useState<ExportFormat>('xlsx');

  const saveFile = async (made: CommandOutput<'records.export'>) => {
    setTransfer({ kind: 'running', percent: 0 });
    const fetched = await fetchExport(api, made.name, (percent) => setTransfer({ kind: 'running', percent }));
    if (!fetched.ok) return setTransfer({ kind: 'failed', error: fetched.error });
    setTransfer(await saveBytes(made.name, fetched.value));
  };

  return {
    busy: exporting || transfer?.kind === 'running',
    format,
    answer,
    transfer,
    async run({ dataset, search, state, filter }, format) {
      setFormat(format);
      setExporting(true);
      setAnswer(null);
      setTransfer(null);
      const lang = i18n.language === 'en' ? 'en' : 'vi';
      const made = await api.call('records.export', { dataset, lang, format, ...(search.trim() ? { search: search.trim() } : {}), ...(state ? { state } : {}), ...(filter ? { filter } : {}) });
      setAnswer(made);
      setExporting(false);
      if (made.ok) await saveFile(made.value);
    },
    async save() {
      if (answer?.ok) await saveFile(answer.value);
    },
  };
}

/** Every chunk of an export, in order; `progress` gets the share received so far. A refusal carries the agent's words (null: an answer that makes no sense). */
async function fetchExport(
  api: AgentApi,
  name: string,
  progress: (percent: number) => void,
): Promise<{ ok: true; value: Uint8Array<ArrayBuffer>[] } | { ok: false; error: ApiError | null }> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const read: ApiResult<CommandOutput<'exports.read'>> = await api.call('exports.read', { name, offset });
    if (!read.ok) return read;
    const { data, size } = read.value;
    const next: number | null = read.value.next;
    parts.push(fromBase64(data));
    // A next that does not move on would never end: not the engine's answer.
    if (next !== null && next <= offset) return { ok: false, error: null };
    offset = next;
    progress(size === 0 || next === null ? 100 : Math.floor((next / size) * 100));
  }
  return { ok: true, value: parts };
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const OUTCOME_ID = 'export-csv-outcome';

/** "Xuất Excel" first (what an office's register is kept in), then "Xuất CSV" (for another system). */
export function ExportCsvButton({ exporter, onPress }: { exporter: CsvExport; onPress: (format: ExportFormat) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <SteadyButton type="button" onClick={() => onPress('xlsx')} unavailable={exporter.busy} aria-describedby={`export-xlsx-about ${OUTCOME_ID}`}>
        {t('records.export.buttonXlsx')}
      </SteadyButton>
      <span id="export-xlsx-about" className="visually-hidden">
        {t('records.export.aboutXlsx')}
      </span>
      <SteadyButton type="button" onClick={() => onPress('csv')} unavailable={exporter.busy} aria-describedby={`export-csv-about ${OUTCOME_ID}`}>
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
  const { busy, answer, transfer } = exporter;
  const made = answer?.ok ? answer.value : null;
  const failed = transfer?.kind === 'failed' ? transfer : null;
  return (
    <>
      <div id={OUTCOME_ID} role="status">
        {busy && !transfer ? <p className="muted">{t(exporter.format === 'xlsx' ? 'records.export.workingXlsx' : 'records.export.working')}</p> : null}
        {made ? (
          <div className="notice notice-ok">
            <p>{t('records.export.done', { n: number(made.records), count: made.records, file: made.name })}</p>
            {transfer?.kind === 'running' ? <p>{t('records.export.preparing', { percent: transfer.percent })}</p> : null}
            {transfer?.kind === 'saved' && transfer.path === null ? <p>{t('records.export.sent')}</p> : null}
            {transfer && transfer.kind !== 'running' ? <SavedFile outcome={transfer} /> : null}
            {failed ? <p>{t('records.export.notSaved')}</p> : null}
            <p className="muted">
              {t('records.export.agentCopy')}{' '}
              <code className="saved-path" translate="no">
                {made.path}
              </code>
            </p>
          </div>
        ) : null}
      </div>
      {answer && !answer.ok ? <ErrorNotice error={answer.error} /> : null}
      {failed?.error ? <ErrorNotice error={failed.error} /> : null}
      {failed && !failed.error ? (
        <div className="notice notice-error" role="alert">
          <p>{t('records.export.notBuilt')}</p>
        </div>
      ) : null}
      {made ? (
        <p>
          <SteadyButton type="button" onClick={() => void exporter.save()} unavailable={busy} aria-describedby="export-csv-save-about">
            {t('records.export.save')}
          </SteadyButton>{' '}
          <span id="export-csv-save-about" className="muted">
            {t('records.export.saveAbout', { file: made.name })}
          </span>
        </p>
      ) : null}
    </>
  );
}
