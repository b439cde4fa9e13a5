import { strToU8, Zip, ZipDeflate } from 'fflate';

/**
 * A one-sheet Excel workbook (.xlsx, Office Open XML SpreadsheetML) written
 * as it goes: rows are turned into the sheet's XML and deflated into the zip
 * (fflate's streaming Zip) a batch at a time, and the zip's bytes handed to
 * `write` before the next batch is taken, so memory holds one batch, never
 * the workbook. Every cell is written as a value, never a formula (no <f>
 * element is ever written): a text cell is an inline string (t="inlineStr"),
 * which Excel shows as written, leading zeros and a leading "=" included;
 * numbers and dates are numbers with a number format. Column styles make a
 * text column Text-formatted, so a value typed into it later keeps its zeros
 * too. docs/decisions.md says why a writer of our own on fflate.
 */
export type XlsxCell = { kind: 'text'; text: string } | { kind: 'number'; value: number } | { kind: 'date'; serial: number } | { kind: 'dateTime'; serial: number } | null;

export type XlsxColumnKind = 'text' | 'wrapText' | 'number' | 'date' | 'dateTime';

export interface XlsxColumn {
  title: string;
  kind: XlsxColumnKind;
  /** Width in characters. */
  width: number;
}

/** Style indexes in STYLES' cellXfs. */
const STYLE = { general: 0, text: 1, date: 2, dateTime: 3, header: 4, wrapText: 5 } as const;

/**
 * Excel's limits for a sheet name: at most 31 characters, none of []:*?/\, no apostrophe at either end, not
 * blank, and not "History" in any case (Excel keeps it for its change tracking and repairs the file): that
 * one is "History (1)".
 */
export function sheetName(title: string, fallback: string): string {
  const name = title.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 31).replace(/^'+|'+$/g, '').trim();
  const chosen = name === '' ? fallback.slice(0, 31) : name;
  return chosen.toLowerCase() === 'history' ? `${chosen} (1)` : chosen;
}

/** Days since 1899-12-30 for a calendar date (Excel's 1900 date system); null before 1 March 1900, which Excel counts wrong or not at all. */
export function excelSerial(year: number, month: number, day: number): number | null {
  if (year < 1900) return null;
  const serial = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000);
  return serial >= 61 ? serial : null;
}

export class XlsxSheetWriter {
  private readonly zip: Zip;
  private readonly sheet: ZipDeflate;
  private out: Uint8Array[] = [];
  private failure: Error | null = null;
  private row = 0;
  private written = 0;

  constructor(
    private readonly columns: readonly XlsxColumn[],
    private readonly name: string,
    private readonly write: (bytes: Uint8Array) => Promise<void> | void,
  ) {
    this.zip = new Zip((error, data) => {
      if (error) this.failure = error;
      else this.out.push(data);
    });
    for (const [path, xml] of this.fixedParts()) this.addWhole(path, xml);
    this.sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
    this.zip.add(this.sheet);
    const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" style="${STYLE[c.kind === 'number' ? 'general' : c.kind]}" customWidth="1"/>`).join('');
    this.push(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}" xmlns:r="${NS_R}">` +
        `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
        `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`,
    );
    this.addRowXml(columns.map((c) => ({ kind: 'text', text: c.title })), STYLE.header);
  }

  /** Bytes of the file written so far. */
  get bytes(): number {
    return this.written;
  }

  /** Adds rows (one cell per column) and writes the zip's bytes they produced. */
  async addRows(rows: ReadonlyArray<readonly XlsxCell[]>): Promise<void> {
    for (const cells of rows) this.addRowXml(cells, null);
    await this.flush();
  }

  /** Ends the sheet and the zip, and writes the rest. */
  async finish(): Promise<void> {
    this.push('</sheetData></worksheet>', true);
    this.zip.end();
    await this.flush();
  }

  private addRowXml(cells: readonly XlsxCell[], style: number | null): void {
    this.row += 1;
    const r = this.row;
    const xml = cells.map((cell, i) => cellXml(cell, `${columnLetters(i)}${r}`, style ?? this.styleOf(cell, i))).join('');
    this.push(`<row r="${r}">${xml}</row>`);
  }

  private styleOf(cell: XlsxCell, column: number): number {
    if (cell === null) return STYLE.general;
    if (cell.kind === 'text') return this.columns[column]?.kind === 'wrapText' ? STYLE.wrapText : STYLE.text;
    return cell.kind === 'number' ? STYLE.general : STYLE[cell.kind];
  }

  private push(xml: string, final = false): void {
    this.sheet.push(strToU8(xml), final);
    if (this.failure) throw this.failure;
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const out = this.out;
    this.out = [];
    for (const bytes of out) {
      this.written += bytes.length;
      await this.write(bytes);
    }
  }

  private addWhole(path: string, xml: string): void {
    const file = new ZipDeflate(path, { level: 6 });
    this.zip.add(file);
    file.push(strToU8(xml), true);
  }

  private fixedParts(): Array<[string, string]> {
    const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
    return [
      [
        '[Content_Types].xml',
        `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
      ],
      [
        '_rels/.rels',
        `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ],
      [
        'xl/workbook.xml',
        `${head}<workbook xmlns="${NS}" xmlns:r="${NS_R}"><bookViews><workbookView/></bookViews><sheets><sheet name="${escapeXml(this.name)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ],
      [
        'xl/_rels/workbook.xml.rels',
        `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          `<Relationship Id="rId1" Type="${NS_R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${NS_R}/styles" Target="styles.xml"/></Relationships>`,
      ],
      ['xl/styles.xml', head + STYLES],
    ];
  }
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** 0 general; 1 Text (@, numFmt 49); 2 dd/mm/yyyy; 3 dd/mm/yyyy hh:mm; 4 the header (bold Text); 5 Text wrapped (a list, one item a line). */
const STYLES =
  `<styleSheet xmlns="${NS}">` +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="6">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>' +
  '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>' +
  '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

function cellXml(cell: XlsxCell, ref: string, style: number): string {
  if (cell === null) return '';
  const s = style === 0 ? '' : ` s="${style}"`;
  switch (cell.kind) {
    case 'text':
      return cell.text === '' ? '' : `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(withinCell(cell.text))}</t></is></c>`;
    case 'number':
      return `<c r="${ref}"${s}><v>${cell.value}</v></c>`;
    default:
      return `<c r="${ref}"${s}><v>${cell.serial}</v></c>`;
  }
}

/** The most characters (UTF-16 code units) an Excel cell holds: a longer text is a file Excel "repairs". */
export const MAX_CELL_CHARS = 32_767;

/**
 * A text as long as a cell may hold: one longer is cut, ending with "…" so the cut shows (the CSV
 * export holds it whole), never inside a surrogate pair.
 */
function withinCell(text: string): string {
  if (text.length <= MAX_CELL_CHARS) return text;
  let end = MAX_CELL_CHARS - 1;
  if (/[\ud800-\udbff]/.test(text[end - 1]!)) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** A, B, ... Z, AA, AB, ... for a column's index from 0. */
function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * Text as XML character data. Characters XML 1.0 cannot hold at all (control
 * characters other than tab and line breaks, unpaired surrogates, U+FFFE/FFFF)
 * are left out: a workbook holding one is a file Excel refuses to open. A
 * carriage return is written as a character reference, which XML does not
 * turn into a line feed.
 */
// eslint-disable-next-line no-control-regex -- these are the characters XML cannot hold
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}
