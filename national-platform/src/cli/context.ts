import type { Command } from 'commander';
import { createPlatformAdmin, type PlatformAdmin } from '../services/admin.js';
import { openPlatformStore, type PlatformStore } from '../store/platform-store.js';

export const DEFAULT_DB = './national-platform.sqlite';

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads standard input whole (for `records put DATASET -`). */
  readStdin(): Promise<string>;
  /** Resolves when the process is asked to stop (serve waits on it). */
  stopSignal(): Promise<string>;
}

/** A refusal the CLI prints as one sentence before exiting with 1. */
export class CliError extends Error {}

export function globalDb(command: Command): string {
  let root = command;
  while (root.parent) root = root.parent;
  return (root.opts()['db'] as string | undefined) ?? DEFAULT_DB;
}

/** Opens the store named by --db, runs `work` with the admin service, and closes it. */
export async function withAdmin<T>(command: Command, work: (admin: PlatformAdmin, store: PlatformStore) => Promise<T>): Promise<T> {
  const store = await openPlatformStore(globalDb(command));
  try {
    return await work(createPlatformAdmin({ store }), store);
  } finally {
    await store.close();
  }
}

/** Prints data: JSON with --json, otherwise aligned text columns. */
export function printRows(io: CliIo, json: boolean, rows: Record<string, unknown>[], columns: string[]): void {
  if (json) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    io.out('(none)\n');
    return;
  }
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  io.out(`${line(columns)}\n`);
  for (const r of rows) io.out(`${line(columns.map((c) => cell(r[c])))}\n`);
}

/** "90s", "30m", "24h", "7d" or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/i.exec(text.trim());
  if (!m) throw new CliError(`"${text}" is not a duration: use e.g. 90s, 30m, 24h or 7d`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? '').toLowerCase()] ?? 1;
  const seconds = Number(m[1]) * unit;
  if (seconds <= 0) throw new CliError('the duration must be positive');
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
