import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT } from '../../../sync-engine/src/protocol/limits.js';
import type { SiteScope } from '../../../sync-engine/src/protocol/records.js';
import type { StoreDriver } from '../store/data-source.js';
import { RecordEntity, RecordScopeHistoryEntity, type RecordRow } from '../store/entities/record.js';
import type { PlatformStore } from '../store/platform-store.js';
import type { AuthenticatedAgent } from './auth.js';
import type { Catalog } from './catalog.js';
import { CursorAheadError, issueCursor, openCursor, rescopePassOf, type CursorPosition } from './cursors.js';
import { entryJson, feedRowOf, feedSelect, pageJson, removedJson, type EntryBytes, type FeedRow } from './feed-json.js';
import type { JsonBytes } from './json-bytes.js';
import { PlatformError } from './platform-error.js';
import { inScope, parseScope } from './scope.js';
import { readStateAndSite, scopeAtVersion } from './sites.js';

export interface PullQuery {
  since?: string | undefined;
  limit?: string | undefined;
}

/** Rows examined per query of a rescope pass, which may emit far fewer than it reads. */
const RESCOPE_SCAN = 1000;

export function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PULL_LIMIT;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new PlatformError('bad_request', 'limit must be a positive integer');
  return Math.min(Number(raw), MAX_PULL_LIMIT);
}

/**
 * The compacted, scoped change feed. Every page is read in one snapshot, bounded
 * by the head seq read first: seq grows in commit order, so nothing at or below
 * the head can still appear, and the cursor may move to the head.
 *
 * A page is answered as JSON bytes (a PullPage, pullPageSchema): rows are read
 * raw, without entity hydration, and each record's stored JSON goes into the
 * answer as it is, as bytes (feed-json.ts). Parsing 1,000 records' data only to
 * serialise it again was most of the platform's cost of a page.
 */
export class PullService {
  constructor(
    private readonly store: PlatformStore,
    private readonly catalog: Catalog,
    /** Told of a cursor ahead of the head (the database went back in time), after its snapshot closed. */
    private readonly onCursorAhead: (seen: CursorAheadError) => Promise<void> = async () => undefined,
  ) {}

  async pull(auth: AuthenticatedAgent, datasetName: string, query: PullQuery): Promise<JsonBytes> {
    try {
      return await this.page(auth, datasetName, query);
    } catch (err) {
      if (!(err instanceof CursorAheadError)) throw err;
      await this.onCursorAhead(err);
      // The head time is the missed epoch's, once one began; else not known.
      const state = await this.store.state();
      throw new PlatformError(err.code, err.message, { restored: { headAt: state.epoch !== err.epoch ? state.epochHeadAt : null } });
    }
  }

  private async page(auth: AuthenticatedAgent, datasetName: string, query: PullQuery): Promise<JsonBytes> {
    const descriptor = this.catalog.get(datasetName);
    const limit = parseLimit(query.limit);
    return this.store.read(async (em) => {
      const { state, site } = await readStateAndSite(em, auth.site.code);
      const scope = parseScope(site.provinceCode, site.communeCodes);
      let position: CursorPosition = { seq: 0, sv: site.scopeVersion };
      if (query.since !== undefined && query.since !== '') {
        const c = openCursor(state, query.since, descriptor.name, auth.agent.id);
        const rs = rescopePassOf(c.rs, state.headSeq);
        position = rs ? { seq: c.seq, sv: c.sv, rs } : { seq: c.seq, sv: c.sv };
      }
      const feed = new FeedReader(em, descriptor, state.headSeq, this.store.driver);
      if (descriptor.scope === 'national' || position.seq === 0) {
        // A national feed ignores scope; an agent with nothing has nothing to rescope.
        position = { seq: position.seq, sv: site.scopeVersion };
      } else if (position.sv !== site.scopeVersion) {
        // The scope changed again during a rescope pass, or the cursor claims a future scope.
        if (position.rs || position.sv > site.scopeVersion) {
          throw new PlatformError('resync_required', 'the site scope changed during a rescope: pull from the beginning');
        }
        position = { seq: position.seq, sv: site.scopeVersion, rs: { oldSv: position.sv, from: state.headSeq, afterId: '' } };
      }
      if (position.rs) {
        const rs = position.rs;
        const oldScope = await scopeAtVersion(em, site.code, rs.oldSv);
        if (!oldScope) throw new PlatformError('resync_required', 'the scope this cursor was issued under is unknown: pull from the beginning');
        const pass = await feed.rescope({ agentSeq: position.seq, from: rs.from, afterId: rs.afterId }, oldScope, scope, limit);
        // Done: the feed goes on from the head the pass began at (what changed since comes next).
        position = pass.finished ? { seq: rs.from, sv: site.scopeVersion } : { ...position, rs: { ...rs, afterId: pass.afterId } };
        return pageJson(pass.changes, issueCursor(state, descriptor.name, auth.agent.id, position), !pass.finished || rs.from < state.headSeq);
      }
      const page = await feed.forward(position.seq, scope, limit);
      position = { seq: page.hasMore ? page.lastSeq : state.headSeq, sv: site.scopeVersion };
      return pageJson(page.changes, issueCursor(state, descriptor.name, auth.agent.id, position), page.hasMore);
    });
  }
}

/** Queries over `records` for one dataset, bounded by the head of the snapshot. */
class FeedReader {
  constructor(
    private readonly em: EntityManager,
    private readonly descriptor: DatasetDescriptor,
    private readonly head: number,
    private readonly driver: StoreDriver,
  ) {}

  /**
   * The next page after `since`: each record once, in scope (an entry) or having
   * left it since `since` (`removed`, so once: a later change of the record
   * where it went is not the agent's business).
   */
  async forward(since: number, scope: SiteScope, limit: number): Promise<{ changes: EntryBytes[]; hasMore: boolean; lastSeq: number }> {
    const qb = this.range(since);
    if (this.descriptor.scope === 'province') {
      // From the beginning the agent holds nothing: only what is in scope now.
      if (since === 0) qb.andWhere(this.currentlyIn(scope, qb));
      else qb.andWhere(`(${this.currentlyIn(scope, qb)} OR ${this.leftSince(scope, since, qb)})`);
    }
    const rows = await this.rows(qb, limit + 1);
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit);
    const changes = page.map((row) => (inScope(this.descriptor, scope, row.place) ? entryJson(row) : removedJson(row)));
    return { changes, hasMore, lastSeq: page.at(-1)?.seq ?? since };
  }

  /**
   * One page of a rescope pass after the site's scope changed from `oldScope` to
   * `scope`. The agent holds, under the old scope, the latest state of records
   * as of `agentSeq`. The pass visits each record the old or new scope ever held
   * ONCE, in id order, as it is in this page's snapshot (a record that changes
   * while the pass runs keeps its place in that order; in seq order it came
   * again at its new seq, a second `removed`), and sends:
   * - unchanged since `agentSeq`: the difference between the scopes;
   * - changed since `agentSeq`, unchanged since `from` (the head when the pass
   *   began): in full if in the new scope, else `removed` if the agent may hold
   *   it (heldFromOldScope);
   * - changed since `from`: left to the feed that goes on from `from` after the
   *   pass (in full if in the new scope, `removed` if it left the new scope since
   *   `from`), but for `removed` for one the agent may still hold from the old
   *   scope that the feed will not remove.
   * So a record comes as `removed` once in a pass, and once more only if it
   * entered and left the new scope while the pass ran.
   */
  async rescope(
    at: { agentSeq: number; from: number; afterId: string },
    oldScope: SiteScope,
    scope: SiteScope,
    limit: number,
  ): Promise<{ changes: EntryBytes[]; afterId: string; finished: boolean }> {
    const changes: EntryBytes[] = [];
    let afterId = at.afterId;
    for (;;) {
      const qb = this.em
        .getRepository(RecordEntity)
        .createQueryBuilder('r')
        .where('r.dataset = :dataset', { dataset: this.descriptor.name })
        .andWhere('r.id > :afterId', { afterId });
      qb.andWhere(`(${this.everIn(oldScope, 'o', qb)} OR ${this.everIn(scope, 'n', qb)})`);
      const rows = await this.rows(qb, RESCOPE_SCAN, 'r.id');
      const held = await this.heldFromOldScope(
        rows.filter((row) => row.seq > at.agentSeq && !inScope(this.descriptor, scope, row.place)),
        at,
        oldScope,
        scope,
      );
      for (const [i, row] of rows.entries()) {
        afterId = row.id;
        const entry = this.rescoped(row, at, oldScope, scope, held);
        if (entry) changes.push(entry);
        if (changes.length >= limit) {
          const finished = i === rows.length - 1 && rows.length < RESCOPE_SCAN;
          return { changes, afterId, finished };
        }
      }
      if (rows.length < RESCOPE_SCAN) return { changes, afterId, finished: true };
    }
  }

  private rescoped(row: FeedRow, at: { agentSeq: number; from: number }, oldScope: SiteScope, scope: SiteScope, held: ReadonlySet<string>): EntryBytes | null {
    const nowIn = inScope(this.descriptor, scope, row.place);
    if (row.seq > at.from) return !nowIn && held.has(row.id) ? removedJson(row) : null;
    if (row.seq > at.agentSeq) return nowIn ? entryJson(row) : held.has(row.id) ? removedJson(row) : null;
    const wasIn = inScope(this.descriptor, oldScope, row.place);
    if (nowIn && !wasIn) return row.deleted ? null : entryJson(row);
    if (!nowIn && wasIn) return removedJson(row);
    return null;
  }

  /**
   * Of `rows` (changed since the agent's cursor, outside the new scope), those
   * the agent may hold from the old scope, and to which the feed after the pass
   * will not send `removed`: ones in a place of the old scope at `agentSeq` (still
   * there, or left it since; one that only came after is sent `removed` it may
   * ignore), and that did not leave a place of the new scope since `from`.
   * One lookup in the scope history for the page's few such rows.
   */
  private async heldFromOldScope(rows: readonly FeedRow[], at: { agentSeq: number; from: number }, oldScope: SiteScope, scope: SiteScope): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const history = await this.em
      .getRepository(RecordScopeHistoryEntity)
      .createQueryBuilder('h')
      .where('h.dataset = :dataset AND h.record_id IN (:...ids)', { dataset: this.descriptor.name, ids: rows.map((r) => r.id) })
      .getMany();
    const held = new Set<string>();
    const leftNew = new Set<string>();
    for (const h of history) {
      const place = { provinceCode: h.provinceCode, communeCode: h.communeCode === '' ? null : h.communeCode };
      if (inScope(this.descriptor, oldScope, place) && (h.leftSeq === null || h.leftSeq > at.agentSeq)) held.add(h.recordId);
      if (inScope(this.descriptor, scope, place) && h.leftSeq !== null && h.leftSeq > at.from) leftNew.add(h.recordId);
    }
    return new Set([...held].filter((id) => !leftNew.has(id)));
  }

  /** The first `count` rows of a feed query, in seq order, read raw (no entity hydration). */
  private async rows(qb: SelectQueryBuilder<RecordRow>, count: number, order: 'r.seq' | 'r.id' = 'r.seq'): Promise<FeedRow[]> {
    feedSelect(this.driver).forEach(([column, alias], i) => (i === 0 ? qb.select(column, alias) : qb.addSelect(column, alias)));
    const raw = await qb.orderBy(order, 'ASC').limit(count).getRawMany<Record<string, unknown>>();
    return raw.map(feedRowOf);
  }

  private range(after: number): SelectQueryBuilder<RecordRow> {
    return this.em
      .getRepository(RecordEntity)
      .createQueryBuilder('r')
      .where('r.dataset = :dataset', { dataset: this.descriptor.name })
      .andWhere('r.seq > :after AND r.seq <= :head', { after, head: this.head });
  }

  private communeFilter(scope: SiteScope): string[] | null {
    return this.descriptor.communeField && scope.communeCodes && scope.communeCodes.length > 0 ? scope.communeCodes : null;
  }

  /** SQL true when the record's latest state is inside `scope`: decided on the row itself, no lookup. */
  private currentlyIn(scope: SiteScope, qb: SelectQueryBuilder<RecordRow>): string {
    qb.setParameter('province', scope.provinceCode);
    const communes = this.communeFilter(scope);
    if (communes) qb.setParameter('communes', communes);
    return `(r.province_code = :province${communes ? ' AND r.commune_code IN (:...communes)' : ''})`;
  }

  /**
   * SQL true when the record left a place inside `scope` after `since`: the agent
   * may hold it there. SQLite probes the history's primary key once per record
   * not in scope now (left_seq is read only for the few ever in it); PostgreSQL
   * hashes the province's departures after `since` once per page, read through
   * the partial index record_scope_history_left (migration 1764300000000).
   */
  private leftSince(scope: SiteScope, since: number, qb: SelectQueryBuilder<RecordRow>): string {
    qb.setParameter('leftAfter', since);
    return this.everIn(scope, 'l', qb, 'h_l.left_seq > :leftAfter');
  }

  /** SQL true when the record has ever been inside `scope` (its scope history meets it), and `also` holds for that row. */
  private everIn(scope: SiteScope, tag: string, qb: SelectQueryBuilder<RecordRow>, also?: string): string {
    const h = `h_${tag}`;
    qb.setParameter(`${tag}Province`, scope.provinceCode);
    const communes = this.communeFilter(scope);
    if (communes) qb.setParameter(`${tag}Communes`, communes);
    return (
      `EXISTS (SELECT 1 FROM record_scope_history ${h} WHERE ${h}.dataset = :dataset AND ${h}.record_id = r.id` +
      ` AND ${h}.province_code = :${tag}Province${communes ? ` AND ${h}.commune_code IN (:...${tag}Communes)` : ''}${also ? ` AND ${also}` : ''})`
    );
  }
}
