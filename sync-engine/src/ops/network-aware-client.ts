import { enroll } from '../adapters/platform-client-got.js';
import { GotPlatformClient } from '../adapters/platform-client-got.js';
import type { NetworkSettings } from '../adapters/network-transport.js';
import type { AgentServiceOptions } from '../service/service-options.js';

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
