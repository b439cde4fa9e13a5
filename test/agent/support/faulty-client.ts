import { GotPlatformClient } from '../../../sync-engine/src/adapters/platform-client-got.js';
import type { PlatformClientConfig } from '../../../sync-engine/src/index.js';
import { PlatformError } from '../../../sync-engine/src/sync/platform-error.js';
import type { PlatformClient } from '../../../sync-engine/src/sync/ports.js';

/** How often answers are lost, changeable while a test runs (0 during quiescence). */
export interface FaultDial {
  rate: number;
  random: () => number;
  /** Answers thrown away so far. */
  dropped: number;
}

/**
 * The real HTTP client, except that a signed call may lose its answer: the
 * request is made and the platform acts on it, then a network error is thrown
 * before the answer reaches the engine. That is the worst case for exactly-once
 * (the platform applied a push the agent never heard about).
 */
export function faultyClientFactory(dial: FaultDial): (config: PlatformClientConfig) => PlatformClient {
  return (config) => {
    const inner = new GotPlatformClient({ baseUrl: config.platformUrl, agentId: config.agentId, keyStore: config.keyStore, now: config.now });
    const lossy = async <T>(call: () => Promise<T>): Promise<T> => {
      const answer = await call();
      if (dial.rate > 0 && dial.random() < dial.rate) {
        dial.dropped += 1;
        throw new PlatformError({ kind: 'network', message: 'the answer was lost on the way back (injected)', cause: 'ECONNRESET' });
      }
      return answer;
    };
    return {
      health: () => inner.health(),
      catalog: () => lossy(() => inner.catalog()),
      pull: (dataset, since, limit) => lossy(() => inner.pull(dataset, since, limit)),
      push: (mutations) => lossy(() => inner.push(mutations)),
      digest: (dataset) => lossy(() => inner.digest(dataset)),
    };
  };
}


/**
 * The real client, except that pulls fail while `offline.pulls` is set: a
 * connection that drops after the push was answered (e.g. before the pull
 * that would meet a purge's 410 and resync).
 */
export function pullsMayFail(offline: { pulls: boolean }): (config: PlatformClientConfig) => PlatformClient {
  return (config) => {
    const inner = new GotPlatformClient({ baseUrl: config.platformUrl, agentId: config.agentId, keyStore: config.keyStore, now: config.now });
    return {
      health: () => inner.health(),
      catalog: () => inner.catalog(),
      pull: (dataset, since, limit) =>
        offline.pulls ? Promise.reject(new PlatformError({ kind: 'network', message: 'the connection dropped (injected)', cause: 'ECONNRESET' })) : inner.pull(dataset, since, limit),
      push: (mutations) => inner.push(mutations),
      digest: (dataset) => inner.digest(dataset),
    };
  };
}
