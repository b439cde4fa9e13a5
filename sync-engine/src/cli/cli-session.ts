import type { AgentApi, ApiError, CommandInput, CommandName, CommandOutput } from '../api/contract.js';
import { createAdminApiClient, provenToken, readAdminToken, type AdminApiClient } from '../admin-api/index.js';
import { createAgentService, type AgentService } from '../service/agent-service.js';
import type { AgentServiceOptions } from '../service/service-options.js';
import { defaultDataDir } from '../service/data-dir.js';
import { shellWord } from '../service/shell-word.js';
import { resolve } from 'node:path';
import { leaseHolder } from '../service/lease-keeper.js';
import { homeSourceOf, noAgentHere } from './agent-home.js';
import { exitCodeOf, type ExitCode } from './exit-codes.js';
import { fileSystemFailure } from './file-errors.js';
import { Printer, type Lang, type Streams } from './output.js';
import { readServiceFile, type ServiceFile } from '../service/service-file.js';
import { storeFailure, storeRefusalOf } from '../service/store-refusal.js';
import { StoreBusyError } from '../store/agent-store.js';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
  lang?: Lang;
  /** Also append what the command prints, and its exit code, to this file. */
  log?: string;
}

/** What the CLI runs on; tests pass their own streams, environment and service options. */
export interface CliEnvironment {
  env: NodeJS.ProcessEnv;
  streams: Streams;
  /** Extra options for an in-process service (a test's clock, a fault-injecting client). */
  service?: Partial<AgentServiceOptions>;
  fetch?: typeof fetch;
  /**
   * `run`: called once the service's store is open and its admin API listens,
   * before it starts syncing (the structured log and the automatic backups
   * begin here); a refused run never calls it.
   */
  serviceStarted?: (service: AgentService) => void | Promise<void>;
  /** `run`: stops the service like SIGTERM does (tests). */
  stopSignal?: AbortSignal;
}

export interface Session {
  api: AgentApi;
  printer: Printer;
  dataDir: string;
  /** True when the commands go to a running service's admin API. */
  remote: boolean;
  env: CliEnvironment;
}

/** A command's ApiError, carried to the action wrapper that prints it and picks the exit code. */
export class CommandFailed extends Error {
  constructor(readonly error: ApiError) {
    super(error.messages.en);
    this.name = 'CommandFailed';
  }
}

/** Calls the AgentApi; an ApiError becomes CommandFailed. */
export async function call<C extends CommandName>(session: Session, command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const result = await session.api.call(command, input);
  if (!result.ok) throw new CommandFailed(result.error);
  return result.value;
}

export function dataDirOf(options: GlobalOptions, env: NodeJS.ProcessEnv): string {
  // An empty EDGE_AGENT_HOME counts as unset (defaultDataDir): not the current folder.
  return options.home ?? defaultDataDir(env);
}

/**
 * The CLI as a next-step hint should spell it for DATADIR: `edge-agent` for the
 * default folder (EDGE_AGENT_HOME's when it is set: it applies to the next
 * command too), else with `--home DIR`, so a hint copied as printed acts on the
 * same folder.
 */
export function agentInvocation(dataDir: string, env: NodeJS.ProcessEnv): string {
  return resolve(dataDir) === resolve(defaultDataDir(env)) ? 'edge-agent' : `edge-agent --home ${shellWord(resolve(dataDir))}`;
}

/**
 * Runs one command against the data folder's agent. If a running service
 * holds the folder's lease and its admin API answers, the command goes there
 * (so the CLI never syncs behind the service's back); otherwise an AgentService
 * is opened in-process for the command and closed after it. Only a command
 * that sets an agent up (`init`, `enroll`, `provision`) passes `create`: any
 * other refuses a folder that holds no agent, before anything is made there
 * (refuseWithoutAgent).
 */
export async function withSession(
  options: GlobalOptions,
  env: CliEnvironment,
  fn: (session: Session) => Promise<ExitCode>,
  access: { create?: boolean } = {},
): Promise<ExitCode> {
  const dataDir = dataDirOf(options, env.env);
  const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
  printer.agent = agentInvocation(dataDir, env.env);
  const missing = access.create === true ? null : refuseWithoutAgent(options, env, printer);
  if (missing !== null) return missing;
  let remote: AdminApiClient | null = null;
  let local: Awaited<ReturnType<typeof createAgentService>> | null = null;
  try {
    remote = await runningService(dataDir, env);
    if (!remote) {
      local = await createAgentService({ dataDir, manualTrigger: 'cli', ...env.service });
      await local.start({ background: false });
    }
    const api: AgentApi = remote ?? (local as AgentApi);
    const session: Session = { api, printer, dataDir, remote: remote !== null, env };
    if (!options.lang) {
      const settings = await api.call('settings.get', {});
      if (settings.ok) printer.lang = settings.value.language;
    }
    const code = await fn(session);
    // A sync in this process started the Records filters' index build after its run: let it finish (no one else
    // syncs this folder while this process holds it; the service, when one runs, builds them itself).
    await local?.filterIndexesBuilt();
    return code;
  } catch (error) {
    if (error instanceof CommandFailed) {
      printer.failure(error.error);
      return exitCodeOf(error.error);
    }
    const refused = await openFailure(dataDir, error);
    printer.failure(refused);
    return exitCodeOf(refused);
  } finally {
    remote?.close();
    await local?.close();
  }
}

/**
 * For a command that only reads or acts on an existing agent: when the data
 * folder holds no agent (agent-home.ts), says so (the path, where it came
 * from, the commands that set an agent up), having made nothing on disk,
 * and returns the exit code (1: a path that cannot be used as given); null
 * when the folder holds an agent. The settings cannot say the language:
 * `--lang`, else Vietnamese.
 */
export function refuseWithoutAgent(options: GlobalOptions, env: CliEnvironment, printer: Printer): ExitCode | null {
  const dataDir = dataDirOf(options, env.env);
  const refused = noAgentHere(dataDir, homeSourceOf(options.home, env.env), agentInvocation(dataDir, env.env));
  if (refused === null) return null;
  printer.failure(refused);
  return exitCodeOf(refused);
}

/**
 * Why the folder's agent could not be opened or read, for a person: the store's
 * refusal (storeRefusal: in use, or damaged and how to restore; exit 4), the
 * file system's refusal of the folder's path (fileSystemFailure: a file in its
 * place is exit 1, no permission exit 4), else the error's own text
 * (`internal`, exit 4).
 */
export async function openFailure(dataDir: string, error: unknown): Promise<ApiError> {
  const refused = await storeRefusal(dataDir, error);
  if (refused) return refused;
  // The folder itself cannot be used as given (a file in its place, part of its path a file, no permission).
  const path = fileSystemFailure(error);
  if (path) return path.error;
  const text = String((error as Error)?.message ?? error);
  return {
    code: 'internal',
    messages: {
      vi: `Không mở được dữ liệu của tác tử ở ${dataDir}: ${text}`,
      en: `Cannot open the agent's data in ${dataDir}: ${text}`,
    },
  };
}

/**
 * Why the folder's data file stopped a command, when `error` says so (null for
 * any other error): another process kept it locked (in use, not damaged; names
 * the lease's holder when one is alive; `busy`), or the file is damaged, at
 * open or at a later read (where the backups are and how to restore one;
 * `internal`). Both exit 4. A bare SQLite error (SQLITE_CORRUPT from a read or
 * `VACUUM INTO` of a store opened without its check, SQLITE_BUSY from a write)
 * is taken as the data file's (storeRefusalOf).
 */
export async function storeRefusal(dataDir: string, error: unknown): Promise<ApiError | null> {
  const busy = storeFailure(dataDir, error) instanceof StoreBusyError;
  const refusal = storeRefusalOf(dataDir, error, busy ? await leaseHolder(dataDir).catch(() => null) : null, 'open');
  return refusal ? { code: refusal.code, messages: refusal.messages } : null;
}

/**
 * The running service's admin API client, when one holds the lease and its
 * admin API proves it knows the token (a stranger on the port gets no token,
 * and the command runs in-process as when no service answers). Each start of
 * the service issues a new token: a service that restarted since the token
 * was read gets the file's new one, checked and, for a refused command,
 * re-read once by the client (client.ts).
 */
async function runningService(dataDir: string, env: CliEnvironment): Promise<AdminApiClient | null> {
  const proven = await provenService(dataDir, env);
  if (proven === null) return null;
  if ((await leaseHolder(dataDir)) === null) return null;
  return createAdminApiClient({ baseUrl: proven.info.url, token: proven.token, fetch: env.fetch ?? fetch, rereadToken: () => readAdminToken(dataDir) });
}

/**
 * The folder's service as its service file (admin-api.json) names it, when
 * the listener at that address proves it knows the token file's token
 * (service-proof.ts; a service that restarted since the token was read proves
 * the file's new one): the file and the proven token. Null when there is no
 * file or token, or nothing there proves itself (a stale file, another
 * program on the port); the token is never sent to that listener.
 */
export async function provenService(dataDir: string, env: CliEnvironment): Promise<{ info: ServiceFile; token: string } | null> {
  const info = readServiceFile(dataDir);
  const read = readAdminToken(dataDir);
  if (!info || !read) return null;
  const reread = () => readAdminToken(dataDir);
  const token = await provenToken({ baseUrl: info.url, token: read, reread, fetch: env.fetch ?? fetch, timeoutMs: 2000 });
  return token === null ? null : { info, token };
}
