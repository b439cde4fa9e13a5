import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recentLogLines } from '../adapters/log-file.js';
import { copyLiveDatabase, integrityProblems } from '../adapters/sqlite-backup.js';
import type { AgentStatusView, SyncRunView } from '../api/views.js';
import { AGENT_DB_FILE } from '../store/agent-store.js';
import type { AgentSnapshot } from './agent-snapshot.js';
import { timeStamp } from './backup-schedule.js';
import type { DoctorReport } from './doctor.js';
import { redact } from './redaction.js';

/**
 * The diagnostics bundle local IT sends to the platform's support desk: one
 * JSON document. Everything in it passes through redact(): no token, proxy
 * password or key, personal ID numbers and names masked.
 */
export interface DiagnosticsBundle {
  format: 'ndxp-edge-agent-diagnostics';
  createdAt: string;
  agentVersion: string;
  os: { platform: string; release: string; arch: string; node: string };
  settings: unknown;
  identity: unknown;
  status: unknown;
  syncRuns: unknown;
  doctor: unknown;
  database: { integrity: 'ok' | 'problems'; problems: string[] };
  logs: unknown[];
}

/**
 * The sync history a bundle holds: its newest 50 rows, failed runs in a row for one reason as one row
 * (SyncRunView.repeats), so a bundle made after a week offline shows the spell and the runs before it.
 */
export const DIAGNOSTICS_SYNC_RUNS = { limit: 50, group: true } as const;

export interface DiagnosticsInput {
  dataDir: string;
  snapshot: AgentSnapshot;
  status: AgentStatusView | null;
  syncRuns: SyncRunView[];
  doctor: DoctorReport;
  agentVersion: string;
  os: DiagnosticsBundle['os'];
  now: () => number;
  logLines?: number;
}

export async function collectDiagnostics(input: DiagnosticsInput): Promise<DiagnosticsBundle> {
  const bundle: DiagnosticsBundle = {
    format: 'ndxp-edge-agent-diagnostics',
    createdAt: new Date(input.now()).toISOString(),
    agentVersion: input.agentVersion,
    os: input.os,
    settings: { ...input.snapshot.settings, ...input.snapshot.operations },
    identity: input.snapshot.identity ? { agentId: input.snapshot.identity.agentId, siteCode: input.snapshot.identity.siteCode, status: input.snapshot.identity.status, scope: input.snapshot.identity.scope, enrolledAt: input.snapshot.identity.enrolledAt } : null,
    status: input.status,
    syncRuns: input.syncRuns,
    doctor: input.doctor,
    database: await databaseIntegrity(input.dataDir),
    logs: recentLogLines(join(input.dataDir, 'logs'), input.logLines ?? 500).map(parseLine),
  };
  return redact(bundle) as DiagnosticsBundle;
}

/** Where the window's "Export diagnostics" writes, in the data folder: a browser never chooses a path. */
export const DIAGNOSTICS_FOLDER = 'diagnostics';
/** Bundles kept there; older ones are removed, so a button pressed every day never fills the disk. */
export const DIAGNOSTICS_KEPT = 10;
const BUNDLE_NAME = /^diagnostics-\d{8}T\d{6}Z\.json$/;

/** Writes a bundle as the support desk reads it (JSON, owner-only); returns its size in bytes. */
export async function writeDiagnosticsFile(bundle: DiagnosticsBundle, file: string): Promise<number> {
  const data = Buffer.from(JSON.stringify(bundle, null, 2) + '\n');
  const partial = `${file}.partial`;
  try {
    await writeFile(partial, data, { mode: 0o600 });
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw error;
  }
  return data.length;
}

/** A bundle as `diagnostics/diagnostics-<UTC time>.json` in the data folder; the oldest beyond DIAGNOSTICS_KEPT go. */
export async function diagnosticsToFolder(input: DiagnosticsInput): Promise<{ file: string; bytes: number; bundle: DiagnosticsBundle }> {
  const bundle = await collectDiagnostics(input);
  const folder = join(input.dataDir, DIAGNOSTICS_FOLDER);
  await mkdir(folder, { recursive: true });
  const file = join(folder, `diagnostics-${timeStamp(input.now())}.json`);
  const bytes = await writeDiagnosticsFile(bundle, file);
  const bundles = readdirSync(folder).filter((n) => BUNDLE_NAME.test(n)).sort();
  for (const name of bundles.slice(0, Math.max(0, bundles.length - DIAGNOSTICS_KEPT))) rmSync(join(folder, name), { force: true });
  return { file, bytes, bundle };
}

/** integrity_check of a fresh copy: the live file is never locked for the check. */
async function databaseIntegrity(dataDir: string): Promise<DiagnosticsBundle['database']> {
  const work = mkdtempSync(join(tmpdir(), 'edge-agent-diag-'));
  try {
    const copy = join(work, AGENT_DB_FILE);
    await copyLiveDatabase(join(dataDir, AGENT_DB_FILE), copy);
    const problems = await integrityProblems(copy);
    return { integrity: problems.length === 0 ? 'ok' : 'problems', problems };
  } catch (error) {
    return { integrity: 'problems', problems: [String((error as Error).message)] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return line;
  }
}
