import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createPlatformAdmin, type PlatformAdmin } from '../services/admin.js';
import { driverOf } from '../store/data-source.js';
import { openPlatformStore, redactedUrl, type PlatformStore } from '../store/platform-store.js';
import { MissingPlatformStoreError, NewerPlatformStoreError } from '../store/schema-version.js';
import { dateTime } from './date-time.js';
import type { Lang, Localized } from './language.js';

export const DEFAULT_DB = './national-platform.sqlite';

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads standard input whole (for `records put DATASET -`). */
  readStdin(): Promise<string>;
  /** Resolves when the process is asked to stop (serve waits on it). */
  stopSignal(): Promise<string>;
  /** The environment the language is chosen from without `--lang` (NATIONAL_PLATFORM_LANG); none: Vietnamese. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The operator's terminal, only when standard input is one: a command that
   * cannot be undone asks there first (consent.ts). Absent (a script, a pipe,
   * a test), such a command refuses without --yes.
   */
  terminal?: Terminal;
  /**
   * Standard output is a terminal, so a person reads it rather than a script:
   * `tokens create` then explains its token there (elsewhere on stderr).
   */
  outIsTerminal?: boolean;
}

/** Where a question is asked: `ask` shows it and resolves to the line typed, null when none came (Ctrl-C, Ctrl-D). */
export interface Terminal {
  ask(question: string): Promise<string | null>;
}

/** A refusal the CLI prints as one sentence, in the operator's language, before exiting with 1. */
export class CliError extends Error {
  constructor(readonly messages: Localized) {
    super(messages.en);
    this.name = 'CliError';
  }
}

export function globalDb(command: Command): string {
  let root = command;
  while (root.parent) root = root.parent;
  return (root.opts()['db'] as string | undefined) ?? DEFAULT_DB;
}

/**
 * Opens the store named by --db for an operator command. Only the commands that
 * make a platform (`sites add`, `seed`) pass `create`: any other on a path or
 * database holding no platform refuses, where it made a new, empty one (a
 * mistyped --db showed no agents, or served a platform with a new epoch).
 */
export async function openCliStore(command: Command, options: { create?: boolean; db?: string } = {}): Promise<PlatformStore> {
  const db = options.db ?? globalDb(command);
  try {
    return await openPlatformStore(db, { create: options.create === true });
  } catch (err) {
    if (err instanceof MissingPlatformStoreError || err instanceof NewerPlatformStoreError) throw err;
    const where = driverOf(db) === 'postgres' ? redactedUrl(db) : resolve(db);
    const why = err instanceof Error ? err.message : String(err);
    throw new CliError({ vi: `không mở được cơ sở dữ liệu của nền tảng ${where}: ${why}`, en: `cannot open the platform database ${where}: ${why}` });
  }
}

/** Opens the store named by --db (openCliStore), runs `work` with the admin service, and closes it. */
export async function withAdmin<T>(
  command: Command,
  work: (admin: PlatformAdmin, store: PlatformStore) => Promise<T>,
  options: { create?: boolean } = {},
): Promise<T> {
  const store = await openCliStore(command, options);
  try {
    return await work(createPlatformAdmin({ store }), store);
  } finally {
    await store.close();
  }
}

/**
 * The headers of the text tables, by the row field they show. --json keeps
 * the field names (language-neutral); the cells are the values as stored.
 */
const HEADERS: Record<string, Localized> = {
  id: { vi: 'mã', en: 'id' },
  code: { vi: 'mã', en: 'code' },
  name: { vi: 'tên', en: 'name' },
  siteCode: { vi: 'đơn vị', en: 'siteCode' },
  state: { vi: 'trạng thái', en: 'state' },
  status: { vi: 'trạng thái', en: 'status' },
  createdAt: { vi: 'tạo lúc', en: 'createdAt' },
  expiresAt: { vi: 'hết hạn lúc', en: 'expiresAt' },
  usedByAgent: { vi: 'tác tử đã dùng', en: 'usedByAgent' },
  lastSeenAt: { vi: 'liên lạc lần cuối', en: 'lastSeenAt' },
  province: { vi: 'tỉnh', en: 'province' },
  communes: { vi: 'xã', en: 'communes' },
  scopeVersion: { vi: 'phiên bản phạm vi', en: 'scopeVersion' },
  approval: { vi: 'cần duyệt', en: 'approval' },
  access: { vi: 'quyền', en: 'access' },
  seq: { vi: 'seq', en: 'seq' },
  rev: { vi: 'rev', en: 'rev' },
  receivedAt: { vi: 'nhận lúc', en: 'receivedAt' },
  updatedAt: { vi: 'cập nhật lúc', en: 'updatedAt' },
  dataset: { vi: 'bộ dữ liệu', en: 'dataset' },
  recordId: { vi: 'mã bản ghi', en: 'recordId' },
  mutationId: { vi: 'mã thay đổi', en: 'mutationId' },
  data: { vi: 'dữ liệu', en: 'data' },
  version: { vi: 'phiên bản', en: 'version' },
  publishedAt: { vi: 'công bố lúc', en: 'publishedAt' },
  title: { vi: 'tiêu đề', en: 'title' },
};

/** The columns that hold an instant: the text tables show it as dd/mm/yyyy HH:mm in local time (dateTime), --json as stored (ISO). */
const TIME_COLUMNS = new Set(['createdAt', 'expiresAt', 'receivedAt', 'updatedAt', 'lastSeenAt']);

/** Prints data: JSON with --json, otherwise aligned text columns headed in `lang`, instants as dd/mm/yyyy HH:mm. */
export function printRows(io: CliIo, lang: Lang, json: boolean, rows: Record<string, unknown>[], columns: string[]): void {
  if (json) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    io.out(lang === 'vi' ? '(không có)\n' : '(none)\n');
    return;
  }
  const headers = columns.map((c) => HEADERS[c]?.[lang] ?? c);
  const cell = (c: string, v: unknown) =>
    v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : TIME_COLUMNS.has(c) && typeof v === 'string' ? dateTime(v) : String(v);
  const cells = rows.map((r) => columns.map((c) => cell(c, r[c])));
  const widths = columns.map((c, i) => Math.max((headers[i] ?? c).length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  io.out(`${line(headers)}\n`);
  for (const r of cells) io.out(`${line(r)}\n`);
}

/** "90s", "30m", "24h", "7d" or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/i.exec(text.trim());
  if (!m) throw new CliError({ vi: `"${text}" không phải một khoảng thời gian: hãy ghi ví dụ 90s, 30m, 24h hoặc 7d`, en: `"${text}" is not a duration: use e.g. 90s, 30m, 24h or 7d` });
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? '').toLowerCase()] ?? 1;
  const seconds = Number(m[1]) * unit;
  if (seconds <= 0) throw new CliError({ vi: 'khoảng thời gian phải lớn hơn 0', en: 'the duration must be positive' });
  return seconds;
}

export function parseCommunes(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const list = text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return list.length > 0 ? list : undefined;
}
