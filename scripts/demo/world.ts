import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type RunningPlatform } from '../../national-platform/src/index.js';
import { createAgentService, type AgentService, type CommandInput, type CommandName, type CommandOutput } from '../../sync-engine/src/index.js';

/** Everything the demo runs: a platform on loopback, its SQLite file, one agent, all under one temp folder. */
export interface DemoWorld {
  dir: string;
  dbFile: string;
  agentDir: string;
  platform: RunningPlatform;
  agent: AgentService;
}

export async function createWorld(): Promise<DemoWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'ndxp-demo-'));
  const dbFile = join(dir, 'platform.sqlite');
  const agentDir = join(dir, 'agent');
  const platform = await startPlatform({ db: dbFile, port: 0, log: () => undefined });
  const agent = await createAgentService({ dataDir: agentDir, agentName: 'demo-agent', user: 'demo', onError: () => undefined });
  return { dir, dbFile, agentDir, platform, agent };
}

/** The platform goes away (the office's line is down, as far as the agent can tell). */
export async function stopPlatform(world: DemoWorld): Promise<number> {
  const port = world.platform.port;
  await world.platform.close();
  return port;
}

/** The platform comes back on the same port with the same database file. */
export async function restartPlatform(world: DemoWorld, port: number): Promise<void> {
  world.platform = await startPlatform({ db: world.dbFile, port, log: () => undefined });
}

export async function disposeWorld(world: DemoWorld): Promise<void> {
  await world.agent.close().catch(() => undefined);
  await world.platform.close().catch(() => undefined);
  rmSync(world.dir, { recursive: true, force: true });
}

/** An AgentApi call that must succeed; the error's English and Vietnamese text otherwise. */
export async function must<C extends CommandName>(agent: AgentService, command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const result = await agent.call(command, input);
  if (!result.ok) throw new Error(`${command}: ${result.error.code} — ${result.error.messages.vi} / ${result.error.messages.en}`);
  return result.value;
}
