import { In, type EntityManager } from 'typeorm';
import { MAX_PUSH_BATCH } from '../../../sync-engine/src/protocol/limits.js';
import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import { mutationSchema, pushRequestSchema, type Mutation, type MutationResult, type PushResponse, type RecordError } from '../../../sync-engine/src/protocol/push.js';
import type { SiteScope, UpdatedBy } from '../../../sync-engine/src/protocol/records.js';
import { uuidv7 } from '../../../sync-engine/src/protocol/uuid.js';
import type { AdminUnitsIndex } from '../../../sync-engine/src/protocol/reference-data/admin-units-index.js';
import { MessageLogEntity } from '../store/entities/mutation-log.js';
import { SiteAccessEntity, SiteEntity } from '../store/entities/site.js';
import type { PlatformStore } from '../store/platform-store.js';
import { AdminUnitsInForce } from './admin-units-in-force.js';
import type { AuthenticatedAgent } from './auth.js';
import { Catalog } from './catalog.js';
import { ChangeSet } from './change-set.js';
import { CommitQueue } from './commit-queue.js';
import { checkDataShape, checkRecordData } from './data-checks.js';
import { messageLogRow } from './message-log.js';
import { PlatformError } from './platform-error.js';
import { rejection } from './rejections.js';
import { inScope, parseScope } from './scope.js';
import type { DatasetAccess } from './sites.js';
import type { SignedRequest } from './signed-requests.js';
import { toWire } from './stored-record.js';

type Accepted = { rev: number; seq: number };
/** checkDataShape's answer for one mutation, and the descriptor and units it judged by (a publish or a reform may come before the push's transaction). */
type Shape = { descriptor: DatasetDescriptor; units: AdminUnitsIndex; errors: RecordError[] };
type ParsedMutation = ReturnType<typeof mutationSchema.safeParse>;

/** One push request, checked as far as it can be without the store. */
interface PendingPush {
  auth: AuthenticatedAgent;
  items: unknown[];
  /** mutationSchema's verdict on each item. */
  parsed: ParsedMutation[];
  /** checkDataShape's errors for each item with data of a known dataset, with the dataset version they were checked by. */
  shapes: (Shape | null)[];
  receivedAt: string;
  /** The request as received, stored once (message log) if any of its mutations is accepted. */
  request: SignedRequest;
}

/** A push body as it came over the wire: the bytes the Content-Digest covers. */
export interface WireBody {
  bytes: Buffer;
  gzip: boolean;
}

/** Keys per `IN (...)` lookup: well under either driver's parameter limit. */
const LOOKUP_CHUNK = 1000;
/**
 * Mutations one group of pushes (one transaction) holds at most; a single push
 * larger than this is judged alone, in a transaction of its own. 1,000, as
 * when no push could exceed 500, and not tied to MAX_PUSH_BATCH: groups of two
 * full pushes (4,000) would hold the write lock, which every other agent's
 * push waits for, twice as long as the largest push alone.
 */
const MAX_GROUP_MUTATIONS = 1000;

/**
 * Judges push batches, each mutation on its own and in order: a rejected or
 * conflicting mutation never blocks the ones after it, and only accepted ones
 * are stored (a rejected mutationId is judged afresh when it comes again).
 *
 * Pushes that arrive together are judged together, in arrival order, in one
 * sequenced transaction (CommitQueue): each sees the ones before it exactly as
 * if it had run after them. Every push is answered only once its transaction
 * committed. The schema and rule checks, which need no store, run before a push
 * queues.
 */
export class PushService {
  private readonly queue: CommitQueue<PendingPush, PushResponse>;

  constructor(
    private readonly store: PlatformStore,
    private readonly catalog: Catalog,
    private readonly now: () => Date,
    /** The units codes are checked against: the platform's own admin-units records (admin-units-in-force.ts). */
    private readonly units: AdminUnitsInForce = new AdminUnitsInForce(),
  ) {
    this.queue = new CommitQueue((group) => this.judgeGroup(group), MAX_GROUP_MUTATIONS);
  }

  async push(auth: AuthenticatedAgent, body: unknown, wire: WireBody): Promise<PushResponse> {
    const request = pushRequestSchema.safeParse(body);
    if (!request.success) throw new PlatformError('validation_failed', 'the body must be { mutations: [ ... ] } with at least one mutation');
    const items = request.data.mutations;
    if (items.length > MAX_PUSH_BATCH) throw new PlatformError('payload_too_large', `a push carries at most ${MAX_PUSH_BATCH} mutations`);
    const receivedAt = this.now().toISOString();
    const parsed = items.map((item) => mutationSchema.safeParse(item));
    const shapes = parsed.map((p) => {
      const descriptor = p.success && p.data.op === 'upsert' && p.data.data ? this.catalog.find(p.data.dataset) : undefined;
      const units = this.units.current;
      return descriptor && p.success && p.data.data ? { descriptor, units, errors: checkDataShape(descriptor, p.data.data, { adminUnits: units }) } : null;
    });
    const signed: SignedRequest = {
      id: uuidv7(),
      agentId: auth.agent.id,
      siteCode: auth.site.code,
      method: auth.method,
      targetUri: auth.targetUri,
      signature: auth.signature,
      signatureInput: auth.signatureInput,
      contentDigest: auth.contentDigest,
      contentEncoding: wire.gzip ? 'gzip' : 'identity',
      body: wire.bytes,
      receivedAt,
    };
    return this.queue.submit({ auth, items, parsed, shapes, receivedAt, request: signed }, items.length);
  }

  private judgeGroup(group: PendingPush[]): Promise<PushResponse[]> {
    return this.store.write(
      async (em, seq) => {
        // The dataset versions in force: read again only when a publish moved catalog_version (catalog.ts).
        await this.catalog.sync(em, seq.catalogVersion);
        // The units in force: read again only when a change of the admin-units records moved admin_units_version.
        await this.units.sync(em, seq.adminUnitsVersion);
        const changes = new ChangeSet(em, seq, this.now().toISOString());
        const judge = new GroupJudge(em, this.catalog, changes, this.units.current);
        await judge.prepare(group);
        const answers: PushResponse[] = [];
        for (const push of group) {
          const results: MutationResult[] = [];
          for (const [i, item] of push.items.entries()) results.push(await judge.judge(push, i, item, push.parsed[i] as ParsedMutation, push.shapes[i] ?? null));
          answers.push({ results });
        }
        await changes.flush();
        return answers;
      },
      { sequenced: true },
    );
  }
}

interface SiteContext {
  scope: SiteScope;
  access: Map<string, DatasetAccess>;
}

/**
 * The state a group of pushes is judged against, read in bulk inside the
 * transaction: the sites (scope and access), earlier results of the mutation
 * ids, the records and unique values the mutations touch.
 */
class GroupJudge {
  private readonly sites = new Map<string, SiteContext>();
  private readonly accepted = new Map<string, Accepted>();

  constructor(
    private readonly em: EntityManager,
    private readonly catalog: Catalog,
    private readonly changes: ChangeSet,
    private readonly units: AdminUnitsIndex,
  ) {}

  async prepare(group: PendingPush[]): Promise<void> {
    const codes = [...new Set(group.map((p) => p.auth.site.code))];
    const rows = await this.em.getRepository(SiteEntity).findBy({ code: In(codes) });
    const overrides = await this.em.getRepository(SiteAccessEntity).findBy({ siteCode: In(codes) });
    for (const site of rows) {
      const access = new Map(overrides.filter((o) => o.siteCode === site.code).map((o) => [o.dataset, o.access] as const));
      this.sites.set(site.code, { scope: parseScope(site.provinceCode, site.communeCodes), access });
    }
    const missing = codes.find((c) => !this.sites.has(c));
    if (missing) throw new PlatformError('not_found', `no site with code ${missing}`);
    const valid = group.flatMap((p) => p.parsed.flatMap((r) => (r.success ? [r.data] : [])));
    const ids = [...new Set(valid.map((m) => m.mutationId))];
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      const logged = await this.em.getRepository(MessageLogEntity).find({
        select: { mutationId: true, rev: true, seq: true },
        where: { mutationId: In(ids.slice(i, i + LOOKUP_CHUNK)) },
      });
      for (const row of logged) this.accepted.set(row.mutationId, { rev: row.rev, seq: row.seq });
    }
    const known = valid.filter((m) => this.catalog.find(m.dataset));
    await this.changes.preload(known.map((m) => ({ dataset: m.dataset, id: m.id })));
    for (const descriptor of new Set(known.map((m) => this.catalog.get(m.dataset)))) {
      await this.changes.preloadUniques(descriptor, known.filter((m) => m.dataset === descriptor.name).map((m) => m.data));
    }
  }

  async judge(push: PendingPush, index: number, item: unknown, parsed: ParsedMutation, shape: Shape | null): Promise<MutationResult> {
    if (!parsed.success) {
      const raw = (item ?? {}) as { mutationId?: unknown };
      const mutationId = typeof raw.mutationId === 'string' ? raw.mutationId.slice(0, 64) : '';
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
      return { mutationId, status: 'rejected', errors: [rejection.invalidMutation(detail.slice(0, 500))] };
    }
    const m = parsed.data;
    const site = this.sites.get(push.auth.site.code) as SiteContext;
    const before = this.accepted.get(m.mutationId);
    if (before) return { mutationId: m.mutationId, status: 'duplicate', rev: before.rev, seq: before.seq };
    const descriptor = this.catalog.find(m.dataset);
    if (!descriptor) return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.unknownDataset(m.dataset)] };
    if (Catalog.effectiveAccess(descriptor, site.access.get(descriptor.name)) === 'read') {
      return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.access(descriptor)] };
    }
    const current = await this.changes.current(descriptor.name, m.id);
    // Never reveal (as a conflict's `current`) a record the site may not see.
    if (current && !inScope(descriptor, site.scope, current.place)) {
      return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.recordOutOfScope()] };
    }
    const updatedBy = updatedByOf(push.auth, item);
    if (m.op === 'delete') {
      if (!current) return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.notFound()] };
      if (m.baseRev !== current.rev) return { mutationId: m.mutationId, status: 'conflict', current: toWire(current) };
      // Deleting a tombstone at its own rev: nothing changes, the agent learns it is settled.
      if (current.deleted) return this.accept(push, index, m, { rev: current.rev, seq: current.seq });
      const record = this.changes.put(descriptor, m.id, current, { deleted: true, data: null }, updatedBy);
      return this.accept(push, index, m, record);
    }
    if (!m.data) return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.dataRequired()] };
    if (!current && m.baseRev !== null) return { mutationId: m.mutationId, status: 'rejected', errors: [rejection.notFound()] };
    if (current && m.baseRev !== current.rev) return { mutationId: m.mutationId, status: 'conflict', current: toWire(current) };
    // Checked before the push queued by the version and units then in force; a publish or a reform since: checked again by the new ones.
    const shapeErrors = shape?.descriptor === descriptor && shape.units === this.units ? shape.errors : undefined;
    const verdict = await checkRecordData(this.changes, descriptor, m.id, m.data, site.scope, { adminUnits: this.units }, shapeErrors);
    if (verdict.errors.length > 0) {
      return { mutationId: m.mutationId, status: 'rejected', errors: verdict.errors, ...(verdict.existingId ? { existingId: verdict.existingId } : {}) };
    }
    const record = this.changes.put(descriptor, m.id, current, { deleted: false, data: m.data }, updatedBy);
    return this.accept(push, index, m, record);
  }

  private accept(push: PendingPush, index: number, m: Mutation, outcome: Accepted): MutationResult {
    const accepted = { rev: outcome.rev, seq: outcome.seq };
    this.accepted.set(m.mutationId, accepted);
    this.changes.log(messageLogRow(push.auth, m, accepted, { id: push.request.id, item: index, receivedAt: push.receivedAt }), push.request);
    return { mutationId: m.mutationId, status: 'applied', ...accepted };
  }
}

/** `user` is an optional extension of the mutation: the staff member who made the edit. */
function updatedByOf(auth: AuthenticatedAgent, item: unknown): UpdatedBy {
  const user = (item as { user?: unknown }).user;
  const by: UpdatedBy = { siteCode: auth.site.code, agentId: auth.agent.id };
  return typeof user === 'string' && user.length > 0 && user.length <= 200 ? { ...by, user } : by;
}
