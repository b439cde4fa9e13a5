import { NotAZip, readXmlPart, type UnpackBudget, type ZipPart } from './xlsx-zip.js';

/**
 * An .xlsx workbook's sheets read a row at a time (xlsx-zip.ts streams each
 * part's XML): the workbook part names the sheets and the date system, its
 * relationships say where each sheet, the shared strings and the styles are;
 * the shared strings (every text Excel writes once and points to) and which
 * cell styles show dates are read first, then the sheet's rows are handed on
 * one by one and not kept here. A cell's value is what Excel holds: text
 * (shared, inline, rich text joined, phonetic guides left out, a formula's
 * text result), a number, TRUE/FALSE, or a date (a number whose style shows a date,
 * or a "d" cell) as that date and clock in UTC, or the error a formula shows
 * (#N/A, #DIV/0!: a CellError), so the import refuses that row rather than
 * read the cell as empty or as text.
 */
export type SheetValue = string | number | boolean | Date | CellError | null;

/** A cell showing a formula's error (t="e"): `code` as Excel shows it, "#N/A", "#VALUE!", "#REF!"... */
export class CellError {
  constructor(readonly code: string) {}
}

export class SheetNotFound extends Error {
  constructor(readonly sheets: string[]) {
    super('sheet not found');
  }
}

interface SheetRef {
  name: string;
  path: string;
  /** Hidden in Excel (state "hidden" or "veryHidden"): a lookup list, not the register. */
  hidden: boolean;
}

export interface Workbook {
  sheets: SheetRef[];
  read(sheet: SheetRef, onRow: (row: number, values: SheetValue[]) => void): void;
}

const OFFICE_DOCUMENT = /\/officeDocument$/;

export function openWorkbook(bytes: Uint8Array, parts: ReadonlyMap<string, ZipPart>, budget: UnpackBudget): Workbook {
  const part = (path: string): ZipPart | undefined => parts.get(path);
  const need = (path: string): ZipPart => {
    const found = part(path);
    if (!found) throw new NotAZip(`no ${path}`);
    return found;
  };
  const rootRels = part('_rels/.rels');
  const workbookPath = (rootRels ? relationships(bytes, rootRels, '', budget).find((r) => OFFICE_DOCUMENT.test(r.type))?.target : undefined) ?? 'xl/workbook.xml';
  const folder = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
  const rels = part(`${folder}_rels/${workbookPath.slice(folder.length)}.rels`);
  const targets = rels ? relationships(bytes, rels, folder, budget) : [];

  const sheetIds: Array<{ name: string; id: string; hidden: boolean }> = [];
  let date1904 = false;
  readXmlPart(bytes, need(workbookPath), budget, {
    open(name, attributes) {
      if (name === 'workbookPr') date1904 = attributes['date1904'] === '1' || attributes['date1904'] === 'true';
      if (name === 'sheet') {
        const id = Object.entries(attributes).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1] ?? '';
        sheetIds.push({ name: attributes['name'] ?? '', id, hidden: attributes['state'] === 'hidden' || attributes['state'] === 'veryHidden' });
      }
    },
    close: () => undefined,
    text: () => undefined,
  });
  const sheets = sheetIds.map(({ name, id, hidden }) => ({ name, path: targets.find((t) => t.id === id)?.target ?? '', hidden }));
  const byType = (type: string) => targets.find((t) => t.type.endsWith(`/${type}`))?.target;
  const stringsPath = byType('sharedStrings');
  const stylesPath = byType('styles');
  let strings: string[] | null = null;
  let dates: boolean[] | null = null;

  return {
    sheets,
    read(sheet, onRow) {
      strings ??= stringsPath && part(stringsPath) ? sharedStrings(bytes, part(stringsPath)!, budget) : [];
      dates ??= stylesPath && part(stylesPath) ? dateStyles(bytes, part(stylesPath)!, budget) : [];
      readRows(bytes, need(sheet.path), budget, { strings, dates, date1904 }, onRow);
    },
  };
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

/** A .rels part's relationships, each target as a path in the zip (relative to `folder`, or from the root when it begins with /). */
function relationships(bytes: Uint8Array, part: ZipPart, folder: string, budget: UnpackBudget): Relationship[] {
  const found: Relationship[] = [];
  readXmlPart(bytes, part, budget, {
    open(name, a) {
      if (name !== 'Relationship' || a['TargetMode'] === 'External') return;
      const target = a['Target'] ?? '';
      found.push({ id: a['Id'] ?? '', type: a['Type'] ?? '', target: normalize(target.startsWith('/') ? target.slice(1) : folder + target) });
    },
    close: () => undefined,
    text: () => undefined,
  });
  return found;
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const piece of path.split('/')) {
    if (piece === '..') out.pop();
    else if (piece !== '.' && piece !== '') out.push(piece);
  }
  return out.join('/');
}

/** The shared strings table: each <si>'s text, its rich-text runs joined, phonetic guides (<rPh>) left out. */
function sharedStrings(bytes: Uint8Array, part: ZipPart, budget: UnpackBudget): string[] {
  const strings: string[] = [];
  let text = '';
  let inT = false;
  let phonetic = 0;
  readXmlPart(bytes, part, budget, {
    open(name) {
      if (name === 'si') text = '';
      else if (name === 't') inT = true;
      else if (name === 'rPh') phonetic += 1;
    },
    close(name) {
      if (name === 'si') strings.push(detached(text));
      else if (name === 't') inT = false;
      else if (name === 'rPh') phonetic -= 1;
    },
    text(t) {
      if (inT && phonetic === 0) text += t;
    },
  });
  return strings;
}

/** Built-in number formats that show a date or a time (ECMA-376 18.8.30). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** Per cell style (<cellXfs>' <xf>, by index), whether its number format shows a date. */
function dateStyles(bytes: Uint8Array, part: ZipPart, budget: UnpackBudget): boolean[] {
  const formats = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  readXmlPart(bytes, part, budget, {
    open(name, a) {
      if (name === 'numFmt') formats.set(Number(a['numFmtId']), a['formatCode'] ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfs.push(Number(a['numFmtId'] ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text: () => undefined,
  });
  return xfs.map((id) => DATE_FORMAT_IDS.has(id) || (formats.has(id) && isDateFormat(formats.get(id)!)));
}

/**
 * A custom number format that shows a date or time: one of its sections is made only of date and time
 * tokens (d, m, y, h, s, AM/PM...) once quoted text, escaped characters, colours and locales ([Red],
 * [$-409]) are left out; "0.00", "#,##0" or "@" are not.
 */
export function isDateFormat(code: string): boolean {
  const tokens = new Set(['d', 'dd', 'ddd', 'dddd', 'm', 'mm', 'mmm', 'mmmm', 'mmmmm', 'y', 'yy', 'yyyy', 'h', 'hh', 's', 'ss', 'am', 'pm', 'a', 'p', 'e', 'ee', 'eeee']);
  return code
    .toLowerCase()
    .replace(/;@$/, '')
    .replace(/\\./g, ' ')
    .split(';')
    .some((section) => {
      const words = section
        .replace(/"[^"]*"/g, ' ')
        .replace(/(\[?[smhd]{1,2}\]?)[.,]00?0?/g, '$1')
        .replace(/\[([smhd]{1,2})\]/g, '$1')
        .replace(/\[[^\]]*\]/g, '')
        .split(/[^a-z0#?%]+/)
        .filter((w) => w !== '');
      return words.length > 0 && words.every((w) => tokens.has(w));
    });
}

const DAY_MS = 86_400_000;
/** Excel's serial day of 1 January 1970 (its 1900 system counts a 29 February 1900 that never was). */
const UNIX_EPOCH_SERIAL = 25_569;
const SYSTEM_1904_DAYS = 1_462;

interface CellContext {
  strings: string[];
  dates: boolean[];
  date1904: boolean;
}

/** The sheet's rows in order, each with its row number and its cells by column (a missing cell null). */
function readRows(bytes: Uint8Array, part: ZipPart, budget: UnpackBudget, ctx: CellContext, onRow: (row: number, values: SheetValue[]) => void): void {
  let rowNumber = 0;
  let values: SheetValue[] = [];
  let column = 0;
  let type = 'n';
  let style = 0;
  let v: string | null = null;
  let inline: string | null = null;
  let collect: 'v' | 'is' | null = null;
  let inIs = false;
  let phonetic = 0;
  readXmlPart(bytes, part, budget, {
    open(name, a) {
      switch (name) {
        case 'row':
          rowNumber = a['r'] !== undefined ? Number(a['r']) : rowNumber + 1;
          values = [];
          column = 0;
          break;
        case 'c':
          column = a['r'] !== undefined ? columnOf(a['r'], column) : column;
          type = a['t'] ?? 'n';
          style = Number(a['s'] ?? 0);
          v = null;
          inline = null;
          break;
        case 'v':
          v = '';
          collect = 'v';
          break;
        case 'is':
          inIs = true;
          inline = '';
          break;
        case 't':
          if (inIs && phonetic === 0) collect = 'is';
          break;
        case 'rPh':
          phonetic += 1;
          break;
      }
    },
    close(name) {
      switch (name) {
        case 'v':
        case 't':
          collect = null;
          break;
        case 'is':
          inIs = false;
          break;
        case 'rPh':
          phonetic -= 1;
          break;
        case 'c': {
          const value = cellValue(type, style, v, inline, ctx);
          while (values.length < column) values.push(null);
          values[column] = value;
          column += 1;
          break;
        }
        case 'row':
          onRow(rowNumber, values);
          break;
      }
    },
    text(t) {
      if (collect === 'v') v += t;
      else if (collect === 'is') inline += t;
    },
  });
}

/**
 * The text as a string of its own. The parser hands text as slices of the chunk it read (V8 keeps a
 * substring of 13 characters or more as a view of its parent), so a kept cell would keep its whole
 * 64 KiB chunk of XML alive, and the rows the whole sheet's XML: measured, 40,000 rows held 133 MB
 * of heap instead of 45 MB.
 */
function detached<T extends string | null>(text: T): T {
  return (text === null || text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8')) as T;
}

/** "BC12" → 54 (columns from 0); the next column when the reference cannot be read. */
function columnOf(ref: string, next: number): number {
  const letters = /^[A-Z]+/i.exec(ref)?.[0];
  if (!letters) return next;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function cellValue(type: string, style: number, v: string | null, inline: string | null, ctx: CellContext): SheetValue {
  switch (type) {
    case 's':
      return v === null ? null : (ctx.strings[Number(v)] ?? null);
    case 'inlineStr':
      return detached(inline ?? v);
    case 'str':
      return detached(v);
    case 'e':
      // Excel's codes are short ("#DIV/0!"); a longer text is cut, as it is named in a message.
      return v === null || v.trim() === '' ? null : new CellError(v.trim().slice(0, 32));
    case 'b':
      return v === null ? null : v === '1' || v === 'true';
    case 'd': {
      if (v === null) return null;
      const d = new Date(/Z|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
      return Number.isNaN(d.getTime()) ? v : d;
    }
    default: {
      if (v === null || v === '') return null;
      const n = Number(v);
      if (Number.isNaN(n)) return v;
      if (!ctx.dates[style]) return n;
      const serial = ctx.date1904 ? n + SYSTEM_1904_DAYS : n;
      return new Date(Math.floor((serial - UNIX_EPOCH_SERIAL) * DAY_MS));
    }
  }
}
