import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recentLogLines } from '../adapters/log-file.js';
import { copyLiveDatabase, integrityProblems } from '../adapters/sqlite-backup.js';
import type { AgentStatusView, SyncRunView } from '../api/views.js';
import { AGENT_DB_FILE } from '../store/agent-store.js';
import type { AgentSnapshot } from './agent-snapshot.js';
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
