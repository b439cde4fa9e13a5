import type { PullPage } from '../../sync-engine/src/protocol/pull.js';
import type { PlatformClient } from '../../sync-engine/src/sync/ports.js';

/**
 * EXPERIMENT (scenario 1's "prefetch" row), not used by the agent: as soon as a
 * pull answers with hasMore, ask for the next page (its cursor is in the
 * answer) while the engine applies this one. The engine's own next call, with
 * that same cursor, gets the answer already on its way. Nothing else changes:
 * pages are still applied one by one, each with its cursor in one transaction.
 * It measures what overlapping the platform's half with the agent's half gives.
 */
export class PrefetchingClient implements PlatformClient {
  private ahead: { key: string; page: Promise<PullPage> } | null = null;

  constructor(private readonly inner: PlatformClient) {}

  health: PlatformClient['health'] = () => this.inner.health();
  catalog: PlatformClient['catalog'] = () => this.inner.catalog();
  push: PlatformClient['push'] = (mutations) => this.inner.push(mutations);
  digest: PlatformClient['digest'] = (dataset) => this.inner.digest(dataset);

  pull: PlatformClient['pull'] = async (dataset, since, limit) => {
    const key = `${dataset}\u0000${since ?? ''}\u0000${limit}`;
    const ready = this.ahead?.key === key ? this.ahead.page : null;
    this.ahead = null;
    const page = await (ready ?? this.inner.pull(dataset, since, limit));
    if (page.hasMore) {
      const next = this.inner.pull(dataset, page.cursor, limit);
      next.catch(() => undefined); // a failed prefetch is asked again, and fails there
      this.ahead = { key: `${dataset}\u0000${page.cursor}\u0000${limit}`, page: next };
    }
    return page;
  };
}
