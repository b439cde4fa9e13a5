import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createPlatformAdmin, type PlatformAdmin } from '../services/admin.js';
import { driverOf } from '../store/data-source.js';
import { openPlatformStore, redactedUrl, type PlatformStore } from '../store/platform-store.js';
import { MissingPlatformStoreError, NewerPlatformStoreError } from '../store/schema-version.js';

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
    if (err instanceof MissingPlatformStoreError || err instanceof NewerPlatformStoreError) throw new CliError(err.message);
    const where = driverOf(db) === 'postgres' ? redactedUrl(db) : resolve(db);
    throw new CliError(`cannot open the platform database ${where}: ${err instanceof Error ? err.message : String(err)}`);
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
