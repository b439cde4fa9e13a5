import { enroll } from '../adapters/platform-client-got.js';
import { GotPlatformClient } from '../adapters/platform-client-got.js';
import type { AgentServiceOptions } from '../service/service-options.js';

/**
 * AgentService options that make every platform call (sync, health probe,
 * enrollment) honour the data folder's proxy, NO_PROXY and extra CA settings.
 * The service reads them from its store for each new client and each
 * enrollment, so a change made while it runs (`edge-agent network set`,
 * `provision`, Settings) applies to the next run without a restart. The
 * service's own default client knows only the environment's proxy.
 */
export function networkAwareServiceOptions(): Pick<AgentServiceOptions, 'platformClientFactory' | 'enroll'> {
  return {
    platformClientFactory: (config) =>
      new GotPlatformClient({
        baseUrl: config.platformUrl,
        agentId: config.agentId,
        keyStore: config.keyStore,
        now: config.now,
        network: config.network,
      }),
    enroll: (platformUrl, request, network) => enroll(platformUrl, request, { network }),
  };
}
