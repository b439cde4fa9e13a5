import type { HealthMonitor } from '../health/health-monitor.js';
import type { PlatformClient } from '../sync/ports.js';

/**
 * The platform client with every signed call's outcome reported to the health
 * monitor: the unsigned health probe cannot see a revoked agent or a refused
 * clock, the sync's own calls can. Answers and errors pass through unchanged.
 */
export function observedClient(client: PlatformClient, monitor: Pick<HealthMonitor, 'noteSignedCall'>): PlatformClient {
  const observe = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      const answer = await call();
      await monitor.noteSignedCall({ ok: true });
      return answer;
    } catch (error) {
      await monitor.noteSignedCall({ ok: false, error });
      throw error;
    }
  };
  return {
    health: () => client.health(),
    catalog: () => observe(() => client.catalog()),
    pull: (dataset, since, limit) => observe(() => client.pull(dataset, since, limit)),
    push: (mutations) => observe(() => client.push(mutations)),
    digest: (dataset) => observe(() => client.digest(dataset)),
  };
}
