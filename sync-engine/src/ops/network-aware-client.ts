import { enroll } from '../adapters/platform-client-got.js';
import { GotPlatformClient } from '../adapters/platform-client-got.js';
import type { NetworkSettings } from '../adapters/network-transport.js';
import type { AgentServiceOptions } from '../service/service-options.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_DB_FILE } from '../store/agent-store.js';
import { readAgentSnapshot } from './agent-snapshot.js';

/**
 * The data folder's proxy, NO_PROXY and extra CA settings; none when the folder
 * is new or its store cannot be read (the command or window reports the damage itself).
 */
export async function loadNetworkSettings(dataDir: string): Promise<NetworkSettings> {
  if (!existsSync(join(dataDir, AGENT_DB_FILE))) return { proxy: null };
  try {
    const { settings, operations } = await readAgentSnapshot(dataDir);
    return { proxy: settings.proxy, noProxy: operations.noProxy, caFiles: operations.caFiles };
  } catch {
    return { proxy: null };
  }
}

/**
 * AgentService options that make every platform call (sync, health probe,
 * enrollment) honour the proxy, NO_PROXY and extra CA settings. `current()`
 * is read at each client creation, so a caller may refresh it before a command.
 * The service's own default client knows only the environment's proxy.
 */
export function networkAwareServiceOptions(current: () => NetworkSettings): Pick<AgentServiceOptions, 'platformClientFactory' | 'enroll'> {
  return {
    platformClientFactory: (config) =>
      new GotPlatformClient({
        baseUrl: config.platformUrl,
        agentId: config.agentId,
        keyStore: config.keyStore,
        now: config.now,
        network: { ...current(), proxy: config.proxy ?? current().proxy },
      }),
    enroll: (platformUrl, request) => enroll(platformUrl, request, { network: current() }),
  };
}
