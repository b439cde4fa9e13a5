import { useEffect, useRef, useState } from 'react';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { saveBytes, type SaveOutcome } from '../api/save-file.js';
import type { ApiError, CommandOutput, DatasetView } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useLocale } from '../hooks/useLocale.js';
import { ErrorNotice } from './ErrorNotice.js';
import { SavedFile } from './SavedFile.js';
import { SteadyButton } from './SteadyButton.js';

/**
 * The Records screen's "Nhập từ tệp Excel/CSV" / "Import from Excel/CSV": an
 * office's spreadsheet register (an Excel workbook, .xlsx, or a CSV) into a
 * read-write dataset through records.import, as `edge-agent records import`
 * does (docs/cli.md). The button opens the system's file chooser; the file is
 * read here (it never leaves as a path; a workbook goes as base64) and
 * checked first without writing (dryRun): what would be imported, what is
 * already present, each refused row by line, column and message. Only then
 * "Nhập N bản ghi" writes, under the person's name (an audited command: the
 * web console asks for it; the window sends its OS user) with the file's name
 * as the source the record history shows. The refused rows can be saved as a
 * CSV to fix and import again, as the CLI's FILE.refused.csv.
 */

type ImportResult = CommandOutput<'records.import'>;

/** records.import's limit (MAX_IMPORT_CHARS in sync-engine/src/api/record-import.ts): a longer file is refused by the agent. */
const MAX_IMPORT_CHARS = 8_000_000;
/** A file this large holds more characters than the agent takes whatever its letters (UTF-8: at most 4 bytes each): not read at all. */
const MAX_FILE_BYTES = 4 * MAX_IMPORT_CHARS;
/** records.import's limit for a workbook (MAX_IMPORT_XLSX_BYTES in sync-engine/src/api/record-import.ts). */
const MAX_XLSX_BYTES = 16 * 1024 * 1024;
/** The refused rows shown in the table at most; the saved file holds them all. */
const MAX_SHOWN_REFUSALS = 200;

export function ImportCsvButton({ onFile, buttonRef }: { onFile: (file: File) => void; buttonRef: Ref<HTMLButtonElement> }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" ref={buttonRef} onClick={() => input.current?.click()} aria-describedby="import-csv-about">
        {t('records.import.button')}
      </button>
      <span id="import-csv-about" className="visually-hidden">
        {t('records.import.about')}
      </span>
      {/* .xls is offered too, so a clerk who has one picks it and is told how to save it again ('oldExcel'). */}
      <input
        ref={input}
        type="file"
        accept=".xlsx,.csv,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv,application/vnd.ms-excel"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="import-csv-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          // Emptied, so choosing the same file again (fixed meanwhile) is a change too.
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}

type LocalProblem = 'tooLarge' | 'tooLargeXlsx' | 'oldExcel' | 'notUtf8' | 'unreadable';

/** The file as records.import takes it: CSV text, or a workbook's bytes in base64. */
type FileContent = { csv: string } | { xlsx: string };

interface Props {
  dataset: DatasetView;
  file: File;
  /** Back to the list; `wrote`: records were imported, the list is refreshed. */
  onClose(wrote: boolean): void;
}

export function ImportCsvPanel({ dataset, file, onClose }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const { pick, number } = useLocale();
  const [content, setContent] = useState<FileContent | null>(null);
  const [problem, setProblem] = useState<LocalProblem | null>(null);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'checking' | 'importing' | null>('checking');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => headingRef.current?.focus(), []);

  useEffect(() => {
    let alive = true;
    void (async () => {
      const read = await readImportFile(file);
      if (!alive) return;
      if (!read.ok) {
        setProblem(read.problem);
        setBusy(null);
        return;
      }
      setContent(read.content);
      const answer = await api.call('records.import', { dataset: dataset.name, ...read.content, source: file.name, dryRun: true });
      if (!alive) return;
      setBusy(null);
      if (answer.ok) setCheck(answer.value);
      else setError(answer.error);
    })();
    return () => {
      alive = false;
    };
  }, [api, dataset.name, file]);

  // The check's or the import's outcome takes the focus, so a screen reader reads it and the keyboard is where the next step is.
  useEffect(() => {
    if (check || result || problem || error) outcomeRef.current?.focus();
  }, [check, result, problem, error]);

  async function runImport() {
    if (content === null || busy) return;
    setBusy('importing');
    setError(null);
    const answer = await api.call('records.import', { dataset: dataset.name, ...content, source: file.name, dryRun: false });
    setBusy(null);
    if (answer.ok) setResult(answer.value);
    else setError(answer.error);
  }

  const shown = result ?? check;
  const toImport = check?.imported ?? 0;
  const finished = result !== null;
  const wholeFileRefused = !check && (problem !== null || error !== null);

  return (
    <section className="import-panel" aria-labelledby="import-csv-title">
      <h2 id="import-csv-title" ref={headingRef} tabIndex={-1}>
        {t('records.import.title', { dataset: pick(dataset.title) })}
        <span className="form-subject" translate="no">
          {file.name}
        </span>
      </h2>
      <div role="status">
        {busy === 'checking' ? <p className="muted">{t('records.import.checking')}</p> : null}
        {busy === 'importing' ? <p className="muted">{t('records.import.importing', { n: number(toImport), count: toImport })}</p> : null}
      </div>

      <div ref={outcomeRef} tabIndex={-1} className="import-outcome">
        {problem ? (
          <div className="notice notice-error" role="alert">
            <p>{t(`records.import.file.${problem}`, { file: file.name })}</p>
          </div>
        ) : null}
        <ErrorNotice error={error} />
        {error && !check && content !== null && 'csv' in content && content.csv.length > MAX_IMPORT_CHARS ? <p>{t('records.import.split')}</p> : null}
        {wholeFileRefused ? <p>{t('records.import.nothingWritten')}</p> : null}
        {shown ? <Counts result={shown} /> : null}
        {check && !finished ? <p className="import-next">{nextStep(check)}</p> : null}
        {result ? <p className="import-next">{result.imported > 0 ? t('records.import.afterImport') : t('records.import.nothingImported')}</p> : null}
      </div>

      {shown && shown.refusals.length > 0 ? <Refusals result={shown} /> : null}
      {result?.refusedCsv ? <RefusedDownload csv={result.refusedCsv} fileName={refusedName(file.name)} /> : null}
      {result && result.refused > 0 ? <p className="muted">{t('records.import.fixOriginal')}</p> : null}

      <div className="form-actions">
        {check && !finished && toImport > 0 ? (
          <SteadyButton type="button" className="primary" unavailable={busy !== null} onClick={() => void runImport()}>
            {t('records.import.confirm', { n: number(toImport), count: toImport })}
          </SteadyButton>
        ) : null}
        {finished || (check && toImport === 0) || wholeFileRefused ? (
          <button type="button" onClick={() => onClose(finished && (result?.imported ?? 0) > 0)}>
            {t('records.import.back')}
          </button>
        ) : (
          <button type="button" onClick={() => onClose(false)} disabled={busy === 'importing'}>
            {t('records.import.cancel')}
          </button>
        )}
      </div>
    </section>
  );

  function nextStep(r: ImportResult): string {
    if (r.imported === 0) return t(r.refused > 0 ? 'records.import.noneToImportFix' : 'records.import.noneToImport');
    return r.refused > 0
      ? t('records.import.nextWithRefusals', { n: number(r.imported), count: r.imported })
      : t('records.import.next', { n: number(r.imported), count: r.imported });
  }
}

/** What the check found or the import did, as counts in words. */
function Counts({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  const { number } = useLocale();
  const when = result.dryRun ? 'check' : 'done';
  return (
    <div className={`notice ${result.refused > 0 ? 'notice-warn' : 'notice-ok'}`}>
      <p>{t(`records.import.${when}.intro`, { n: number(result.rows), count: result.rows })}</p>
      <ul className="import-counts">
        <li>{t(`records.import.${when}.imported`, { n: number(result.imported), count: result.imported })}</li>
        <li>{t(`records.import.${when}.present`, { n: number(result.alreadyPresent), count: result.alreadyPresent })}</li>
        <li>{t(`records.import.${when}.refused`, { n: number(result.refused), count: result.refused })}</li>
      </ul>
    </div>
  );
}

/** The refused rows: one table row per problem, by the file's line and column, in the window's language. */
function Refusals({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  const { pick, number } = useLocale();
  const refusals = result.refusals.slice(0, MAX_SHOWN_REFUSALS);
  return (
    <>
      <h3 id="import-refusals-title">{t('records.import.refusalsTitle')}</h3>
      {result.refusals.length > refusals.length ? (
        <p className="muted">{t('records.import.refusalsCapped', { n: number(refusals.length), total: number(result.refusals.length) })}</p>
      ) : null}
      <div className="table-wrap">
        <table className="data-table import-refusals" aria-labelledby="import-refusals-title">
          <thead>
            <tr>
              <th scope="col">{t('records.import.column.line')}</th>
              <th scope="col">{t('records.import.column.column')}</th>
              <th scope="col">{t('records.import.column.message')}</th>
            </tr>
          </thead>
          <tbody>
            {refusals.flatMap((r) =>
              r.problems.map((p, i) => (
                <tr key={`${r.line}-${i}`}>
                  <td className="num">{number(r.line)}</td>
                  <td translate="no">{p.column ?? t('records.import.wholeRow')}</td>
                  <td>{pick(p.messages)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * The refused rows as a file to save (a byte order mark so Excel reads it as UTF-8, as the CLI's
 * FILE.refused.csv) through saveBytes (api/save-file.ts): the window's Save dialog (where it went
 * is said), a browser's download.
 */
function RefusedDownload({ csv, fileName }: { csv: string; fileName: string }) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<SaveOutcome | null>(null);
  const save = async () => {
    setSaving(true);
    setOutcome(null);
    setOutcome(await saveBytes(fileName, [`\uFEFF${csv}`]));
    setSaving(false);
  };
  const failed = outcome?.kind === 'failed' ? outcome : null;
  return (
    <div className="import-refused-file">
      <p>
        <SteadyButton type="button" unavailable={saving} onClick={() => void save()} aria-describedby="import-refused-about">
          {t('records.import.saveRefused')}
        </SteadyButton>{' '}
        <span id="import-refused-about" className="muted">
          {t('records.import.saveRefusedAbout', { file: fileName })}
        </span>
      </p>
      <div role="status">{outcome ? <SavedFile outcome={outcome} /> : null}</div>
      {failed?.error ? <ErrorNotice error={failed.error} /> : null}
      {failed && !failed.error ? (
        <div className="notice notice-error" role="alert">
          <p>{t('files.notSaved')}</p>
        </div>
      ) : null}
    </div>
  );
}

/** FILE.csv → FILE.refused.csv, as the CLI names it (refusedPath in sync-engine/src/cli/commands/record-import.ts). */
/** FILE.csv or FILE.xlsx → FILE.refused.csv (the agent answers a workbook's refused rows as CSV too). */
function refusedName(name: string): string {
  return `${name.replace(/\.(csv|xlsx)$/i, '')}.refused.csv`;
}

/** A zip, as every .xlsx is: sent as a workbook, not read as text. */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/**
 * An OLE compound file: an Excel 97–2003 workbook (.xls), or an .xlsx with a password (Excel encrypts
 * it into one). The agent reads neither: refused here, whatever its size, with how to save it again.
 */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const begins = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * The file as records.import takes it: a workbook (named .xlsx or .xls, or beginning as a zip) as base64,
 * else the text, which must be UTF-8 (Excel: "CSV UTF-8"); a byte order mark is dropped by the decoder.
 * An .xls or a workbook with a password (an OLE file, whatever its name) is refused first, so its size
 * never earns it the advice to split it.
 */
async function readImportFile(file: File): Promise<{ ok: true; content: FileContent } | { ok: false; problem: LocalProblem }> {
  try {
    if (begins(new Uint8Array(await file.slice(0, OLE_MAGIC.length).arrayBuffer()), OLE_MAGIC)) return { ok: false, problem: 'oldExcel' };
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  const named = /\.xlsx?$/i.test(file.name);
  if (named && file.size > MAX_XLSX_BYTES) return { ok: false, problem: 'tooLargeXlsx' };
  if (file.size > MAX_FILE_BYTES) return { ok: false, problem: 'tooLarge' };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  if (named || begins(bytes, ZIP_MAGIC)) {
    if (bytes.length > MAX_XLSX_BYTES) return { ok: false, problem: 'tooLargeXlsx' };
    return { ok: true, content: { xlsx: toBase64(bytes) } };
  }
  try {
    // File.text() would turn bytes of another encoding into "�" silently: the fatal decoder refuses them.
    return { ok: true, content: { csv: new TextDecoder('utf-8', { fatal: true }).decode(bytes) } };
  } catch {
    return { ok: false, problem: 'notUtf8' };
  }
}

/** Bytes as base64, a slice at a time (String.fromCharCode takes only so many arguments). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
