import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_DB_FILE, openAgentStore } from '../store/agent-store.js';
import { AgentSettings, DEFAULT_ADMIN_PORT } from './agent-settings.js';

/** Written by the background service (`edge-agent run`) in the data folder: where its admin API listens. */
export const SERVICE_FILE = 'admin-api.json';

export interface ServiceFile {
  pid: number;
  url: string;
  port: number;
  startedAt: string;
}

export function writeServiceFile(dataDir: string, info: ServiceFile): void {
  writeFileSync(join(dataDir, SERVICE_FILE), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
}

export function readServiceFile(dataDir: string): ServiceFile | null {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, SERVICE_FILE), 'utf8')) as Partial<ServiceFile>;
    if (typeof info.url !== 'string' || typeof info.port !== 'number' || typeof info.pid !== 'number') return null;
    return info as ServiceFile;
  } catch {
    return null;
  }
}

/** Removes the file if it still describes this process (a newer service may have replaced it). */
export function removeServiceFile(dataDir: string, pid: number = process.pid): void {
  if (readServiceFile(dataDir)?.pid === pid) rmSync(join(dataDir, SERVICE_FILE), { force: true });
}

/**
 * Where the background service's admin API listens for this data folder: the
 * address the running `edge-agent run` wrote, else the `adminPort` setting on
 * loopback (the service is not running yet, or predates the file).
 */
export async function adminApiUrl(dataDir: string): Promise<string> {
  const info = readServiceFile(dataDir);
  if (info) return info.url;
  if (!existsSync(join(dataDir, AGENT_DB_FILE))) return `http://127.0.0.1:${DEFAULT_ADMIN_PORT}`;
  const store = await openAgentStore(dataDir, { integrityCheck: false });
  try {
    return `http://127.0.0.1:${(await new AgentSettings(store).read()).adminPort}`;
  } finally {
    await store.close();
  }
}
