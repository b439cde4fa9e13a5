import type { AgentApi } from '../../sync-engine/src/api/index.js';

/**
 * What the shell needs of the engine, as an interface: the engine's public
 * entry (sync-engine/src/index.ts) provides it, index.ts wires it in. The shell
 * never reaches into engine folders.
 */
export type HostedAgentService = AgentApi & { close(): Promise<void> };
export type AgentApiClient = AgentApi & { close(): void };

export interface EnginePorts {
  /**
   * Opens the data folder, takes its lease and starts the sync loop in this process.
   * With `standby`, another process holding the lease is not an error: the service
   * waits for it to stop and syncs then.
   */
  createAgentService(dataDir: string, options?: { standby?: boolean }): Promise<HostedAgentService>;
  /**
   * A client of a running background service's local admin API; it sends the token only to a listener that proves
   * it knows it, and reads the token file again (rereadToken) when a restarted service refuses the one it holds.
   */
  createAdminApiClient(options: { baseUrl: string; token: string; rereadToken: () => string | null }): AgentApiClient;
  /** The admin token the background service wrote into the data folder, if readable. */
  readAdminToken(dataDir: string): string | null;
  /** True when another live process (the `edge-agent run` service) holds the data folder's lease. */
  leaseHeldByOther(dataDir: string): Promise<boolean>;
  /** Where the background service's admin API listens for this data folder. */
  adminApiUrl(dataDir: string): Promise<string>;
  /** The data folder shared by the window and the background service. */
  defaultDataDir(): string;
}
