import type { EntityManager } from 'typeorm';
import { MAX_PUSH_BATCH } from '../../../sync-engine/src/protocol/limits.js';
import { mutationSchema, pushRequestSchema, type Mutation, type MutationResult, type PushResponse } from '../../../sync-engine/src/protocol/push.js';
import type { SiteScope, UpdatedBy } from '../../../sync-engine/src/protocol/records.js';
import type { ValidationContext } from '../../../sync-engine/src/protocol/validation/index.js';
import { MutationResultEntity } from '../store/entities/mutation-log.js';
import type { PlatformStore } from '../store/platform-store.js';
import type { AuthenticatedAgent } from './auth.js';
import { Catalog } from './catalog.js';
import { ChangeSet } from './change-set.js';
import { checkRecordData } from './data-checks.js';
import { messageLogRow } from './message-log.js';
import { PlatformError } from './platform-error.js';
import { rejection } from './rejections.js';
import { inScope, parseScope } from './scope.js';
import { requireSite } from './sites.js';
import { toWire } from './stored-record.js';

type Accepted = { rev: number; seq: number };

/**
 * Judges a push batch, each mutation on its own and in order, in one
 * transaction: a rejected or conflicting mutation never blocks the ones after
 * it, and only accepted ones are stored (a rejected mutationId is judged afresh
 * when it comes again).
 */
export class PushService {
  constructor(
    private readonly store: PlatformStore,
    private readonly catalog: Catalog,
    private readonly now: () => Date,
    private readonly validation: ValidationContext = {},
  ) {}

  async push(auth: AuthenticatedAgent, body: unknown): Promise<PushResponse> {
    const request = pushRequestSchema.safeParse(body);
    if (!request.success) throw new PlatformError('validation_failed', 'the body must be { mutations: [ ... ] } with at least one mutation');
    const items = request.data.mutations;
    if (items.length > MAX_PUSH_BATCH) throw new PlatformError('payload_too_large', `a push carries at most ${MAX_PUSH_BATCH} mutations`);
    const receivedAt = this.now().toISOString();
    return this.store.write(
      async (em, seq) => {
        const changes = new ChangeSet(em, seq, receivedAt);
        const batch = new BatchJudge(em, this.catalog, changes, auth, receivedAt, this.validation);
        await batch.prepare(items);
        const results: MutationResult[] = [];
        for (const item of items) results.push(await batch.judge(item));
        await changes.flush();
        return { results };
      },
      { sequenced: true },
    );
  }
}

/** The state one batch is judged against: its site (re-read in the transaction), access and earlier results. */
class BatchJudge {
  private scope: SiteScope = { provinceCode: '' };
  private access = new Map<string, 'read' | 'read-write'>();
  private readonly accepted = new Map<string, Accepted>();

  constructor(
    private readonly em: EntityManager,
    private readonly catalog: Catalog,
    private readonly changes: ChangeSet,
    private readonly auth: AuthenticatedAgent,
    private readonly receivedAt: string,
    private readonly validation: ValidationContext,
  ) {}

  async prepare(items: unknown[]): Promise<void> {
    const site = await requireSite(this.em, this.auth.site.code);
    this.scope = parseScope(site.provinceCode, site.communeCodes);
    this.access = await this.catalog.overrides(this.em, site.code);
    const valid = items.map((i) => mutationSchema.safeParse(i)).flatMap((r) => (r.success ? [r.data] : []));
    const ids = [...new Set(valid.map((m) => m.mutationId))];
    for (let i = 0; i < ids.length; i += 400) {
      const rows = await this.em
        .getRepository(MutationResultEntity)
        .createQueryBuilder('m')
        .where('m.mutation_id IN (:...ids)', { ids: ids.slice(i, i + 400) })
        .getMany();
      for (const row of rows) this.accepted.set(row.mutationId, JSON.parse(row.result) as Accepted);
    }
    const known = valid.filter((m) => this.catalog.find(m.dataset));
    await this.changes.preload(known.map((m) => ({ dataset: m.dataset, id: m.id })));
    for (const descriptor of new Set(known.map((m) => this.catalog.get(m.dataset)))) {
      await this.changes.preloadUniques(descriptor, known.filter((m) => m.dataset === descriptor.name).map((m) => m.data));
    }
  }

  async judge(item: unknown): Promise<MutationResult> {
    const parsed = mutationSchema.safeParse(item);
    if (!parsed.success) {
      const raw = (item ?? {}) as { mutationId?: unknown };
      const mutationId = typeof raw.mutationId === 'string' ? raw.mutationId.slice(0, 64) : '';
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
      return { mutationId, status: 'rejected', errors: [rejection.invalidMutation(detail.slice(0, 500))] };
    }
    const m = parsed.data;
    const before = this.accepted.get(m.mutationId);
    if (before) return { mutationId: m.mutationId, status: 'duplicate', rev: before.rev, seq: before.seq };
    const descriptor = this.catalog.find(m.dataset);
    if (!descriptor) return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.unknownDataset(m.dataset)] };
    if (Catalog.effectiveAccess(descriptor, this.access.get(descriptor.name)) === 'read') {
      return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.access(descriptor.name)] };
    }
    const current = await this.changes.current(descriptor.name, m.id);
    // Never reveal (as a conflict's `current`) a record the site may not see.
    if (current && !inScope(descriptor, this.scope, current.place)) {
      return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.recordOutOfScope()] };
    }
    const updatedBy = this.updatedBy(item);
    if (m.op === 'delete') {
      if (!current) return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.notFound()] };
      if (m.baseRev !== current.rev) return { mutationId: m.mutationId, status: 'conflict', current: toWire(current) };
      // Deleting a tombstone at its own rev: nothing changes, the agent learns it is settled.
      if (current.deleted) return this.accept(m, { rev: current.rev, seq: current.seq });
      const record = this.changes.put(descriptor, m.id, current, { deleted: true, data: null }, updatedBy);
      return this.accept(m, record);
    }
    if (!m.data) return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.dataRequired()] };
    if (!current && m.baseRev !== null) return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.notFound()] };
    if (current && m.baseRev !== current.rev) return { mutationId: m.mutationId, status: 'conflict', current: toWire(current) };
    const verdict = await checkRecordData(this.changes, descriptor, m.id, m.data, this.scope, this.validation);
    if (verdict.errors.length > 0) {
      return { mutationId: m.mutationId, status: 'rejected', errors: verdict.errors, ...(verdict.existingId ? { existingId: verdict.existingId } : {}) };
    }
    const record = this.changes.put(descriptor, m.id, current, { deleted: false, data: m.data }, updatedBy);
    return this.accept(m, record);
  }

  private accept(m: Mutation, outcome: Accepted): MutationResult {
    const accepted = { rev: outcome.rev, seq: outcome.seq };
    this.accepted.set(m.mutationId, accepted);
    this.changes.acceptResult({ mutationId: m.mutationId, agentId: this.auth.agent.id, result: JSON.stringify(accepted), createdAt: this.receivedAt });
    this.changes.log(messageLogRow(this.auth, m, accepted, this.receivedAt));
    return { mutationId: m.mutationId, status: 'applied', ...accepted };
  }

  /** `user` is an optional extension of the mutation: the staff member who made the edit. */
  private updatedBy(item: unknown): UpdatedBy {
    const user = (item as { user?: unknown }).user;
    const by: UpdatedBy = { siteCode: this.auth.site.code, agentId: this.auth.agent.id };
    return typeof user === 'string' && user.length > 0 && user.length <= 200 ? { ...by, user } : by;
  }
}
