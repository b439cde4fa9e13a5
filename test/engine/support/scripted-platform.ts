import { DATASETS } from '../../../sync-engine/src/protocol/datasets/index.js';
import type { DatasetDescriptor, PlatformLimits } from '../../../sync-engine/src/protocol/catalog.js';
import { digestOf } from '../../../sync-engine/src/protocol/digest.js';
import type { DigestResponse, PullChange, PullPage } from '../../../sync-engine/src/protocol/pull.js';
import type { Mutation, MutationResult, PushResponse } from '../../../sync-engine/src/protocol/push.js';
import type { RecordData } from '../../../sync-engine/src/protocol/records.js';
import { PlatformError } from '../../../sync-engine/src/sync/platform-error.js';
import type { HealthProbe, PlatformClient } from '../../../sync-engine/src/sync/ports.js';

/**
 * A PlatformClient whose answers a test scripts: an append-only change feed per
 * dataset (cursor = "c<epoch>:<position>"), a purge that makes older cursors
 * answer 410, and a push handler. Not a platform: it judges nothing unless the test says so.
 * End-to-end behaviour is tested against the real reference platform.
 */
export class ScriptedPlatform implements PlatformClient {
  datasets: DatasetDescriptor[] = [...DATASETS];
  /** The catalog answer's `limits` (docs/protocol.md, "Catalog"); none by default. */
  limits: PlatformLimits | undefined;
  readonly feeds = new Map<string, PullChange[]>();
  /** Cursors of an older epoch answer 410 resync_required. */
  private readonly epochs = new Map<string, number>();
  readonly pushed: Mutation[][] = [];
  /** Default: every mutation applied at rev baseRev + 1 and appended to the feed. */
  onPush: (mutations: readonly Mutation[]) => MutationResult[] = (mutations) =>
    mutations.map((m) => {
      const rev = (m.baseRev ?? 0) + 1;
      if (m.op === 'delete') this.tombstone(m.dataset, m.id, rev);
      else this.put(m.dataset, m.id, rev, m.data ?? {});
      return { mutationId: m.mutationId, status: 'applied', rev, seq: this.nextSeq - 1 };
    });
  /** Throw this from the next calls of a method. */
  failures: Partial<Record<'catalog' | 'pull' | 'push' | 'digest', PlatformError>> = {};
  /** Overrides the digest computed from the feed. */
  digestOverride = new Map<string, DigestResponse>();
  private nextSeq = 1;

  /** Appends a live record version to a dataset's feed. */
  put(dataset: string, id: string, rev: number, data: RecordData): void {
    this.feed(dataset).push({ seq: this.nextSeq++, id, rev, deleted: false, data, updatedAt: '2025-10-01T03:00:00Z', updatedBy: { national: true } });
  }

  tombstone(dataset: string, id: string, rev: number): void {
    this.feed(dataset).push({ seq: this.nextSeq++, id, rev, deleted: true, data: null, updatedAt: '2025-10-01T03:00:00Z', updatedBy: { national: true } });
  }

  /** The platform forgot deletes: the feed is replaced by `snapshot` and older cursors get 410. */
  purge(dataset: string, snapshot: (feed: PullChange[]) => void): void {
    this.epochs.set(dataset, this.epoch(dataset) + 1);
    const fresh: PullChange[] = [];
    this.feeds.set(dataset, fresh);
    snapshot(fresh);
  }

  cursorAt(dataset: string, position: number): string {
    return `c${this.epoch(dataset)}:${position}`;
  }

  remove(dataset: string, id: string): void {
    this.feed(dataset).push({ seq: this.nextSeq++, id, removed: true });
  }

  async health(): Promise<HealthProbe> {
    return { body: { status: 'ok', time: new Date().toISOString(), protocol: 1 }, httpStatus: 200, latencyMs: 1, skewMs: 0 };
  }

  async catalog() {
    this.throwIfFailing('catalog');
    return { datasets: this.datasets, ...(this.limits ? { limits: this.limits } : {}) };
  }

  async pull(dataset: string, since: string | null, limit: number): Promise<PullPage> {
    this.throwIfFailing('pull');
    const [epoch, position] = since === null ? [this.epoch(dataset), 0] : since.slice(1).split(':').map(Number);
    if (epoch !== this.epoch(dataset)) {
      throw new PlatformError({ kind: 'http', status: 410, code: 'resync_required', message: 'deletes after this cursor were purged' });
    }
    const from = position ?? 0;
    const all = this.feed(dataset);
    const changes = all.slice(from, from + limit);
    const next = from + changes.length;
    return { changes, cursor: this.cursorAt(dataset, next), hasMore: next < all.length };
  }

  async push(mutations: readonly Mutation[]): Promise<PushResponse> {
    this.throwIfFailing('push');
    this.pushed.push([...mutations]);
    return { results: this.onPush(mutations) };
  }

  async digest(dataset: string): Promise<DigestResponse> {
    this.throwIfFailing('digest');
    const override = this.digestOverride.get(dataset);
    if (override) return override;
    const latest = new Map<string, PullChange>();
    for (const change of this.feed(dataset)) latest.set(change.id, change);
    const live = [...latest.values()].filter((c): c is Extract<PullChange, { rev: number }> => !c.removed && !c.deleted);
    const { count, digest } = digestOf(live);
    return { count, digest, cursor: this.cursorAt(dataset, this.feed(dataset).length) };
  }

  private epoch(dataset: string): number {
    return this.epochs.get(dataset) ?? 0;
  }

  private feed(dataset: string): PullChange[] {
    let feed = this.feeds.get(dataset);
    if (!feed) this.feeds.set(dataset, (feed = []));
    return feed;
  }

  private throwIfFailing(method: keyof ScriptedPlatform['failures']): void {
    const failure = this.failures[method];
    if (failure) throw failure;
  }
}
