import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT } from '../../../sync-engine/src/protocol/limits.js';
import type { SiteScope } from '../../../sync-engine/src/protocol/records.js';
import type { StoreDriver } from '../store/data-source.js';
import { RecordEntity, type RecordRow } from '../store/entities/record.js';
import type { PlatformStore } from '../store/platform-store.js';
import type { AuthenticatedAgent } from './auth.js';
import type { Catalog } from './catalog.js';
import { issueCursor, openCursor, type CursorPosition } from './cursors.js';
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
  ) {}

  async pull(auth: AuthenticatedAgent, datasetName: string, query: PullQuery): Promise<JsonBytes> {
    const descriptor = this.catalog.get(datasetName);
    const limit = parseLimit(query.limit);
    return this.store.read(async (em) => {
      const { state, site } = await readStateAndSite(em, auth.site.code);
      const scope = parseScope(site.provinceCode, site.communeCodes);
      let position: CursorPosition = { seq: 0, sv: site.scopeVersion };
      if (query.since !== undefined && query.since !== '') {
        const c = openCursor(state, query.since, descriptor.name, auth.agent.id);
        position = c.rs ? { seq: c.seq, sv: c.sv, rs: c.rs } : { seq: c.seq, sv: c.sv };
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
        position = { seq: position.seq, sv: site.scopeVersion, rs: { oldSv: position.sv, after: 0, upTo: state.headSeq } };
      }
      if (position.rs) {
        const oldScope = await scopeAtVersion(em, site.code, position.rs.oldSv);
        if (!oldScope) throw new PlatformError('resync_required', 'the scope this cursor was issued under is unknown: pull from the beginning');
        const pass = await feed.rescope(position.seq, position.rs.after, oldScope, scope, limit);
        position = pass.finished ? { seq: state.headSeq, sv: site.scopeVersion } : { ...position, rs: { ...position.rs, after: pass.after, upTo: state.headSeq } };
        return pageJson(pass.changes, issueCursor(state, descriptor.name, auth.agent.id, position), !pass.finished);
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
   * `scope`. The agent holds the latest state, under the old scope, of records
   * with seq <= agentSeq; for those only the difference between the scopes is
   * sent. Records changed after agentSeq are sent as the normal feed would, with
   * `removed` for any the old or new scope ever held. The pass runs to the head
   * of each page's snapshot, so a record cannot slip past it by changing.
   */
  async rescope(agentSeq: number, after: number, oldScope: SiteScope, scope: SiteScope, limit: number): Promise<{ changes: EntryBytes[]; after: number; finished: boolean }> {
    const changes: EntryBytes[] = [];
    let cursor = after;
    for (;;) {
      const qb = this.range(cursor);
      qb.andWhere(`(${this.everIn(oldScope, 'o', qb)} OR ${this.everIn(scope, 'n', qb)})`);
      const rows = await this.rows(qb, RESCOPE_SCAN);
      for (const [i, row] of rows.entries()) {
        cursor = row.seq;
        const entry = this.rescoped(row, agentSeq, oldScope, scope);
        if (entry) changes.push(entry);
        if (changes.length >= limit) {
          const finished = i === rows.length - 1 && rows.length < RESCOPE_SCAN;
          return { changes, after: cursor, finished };
        }
      }
      if (rows.length < RESCOPE_SCAN) return { changes, after: cursor, finished: true };
    }
  }

  private rescoped(row: FeedRow, agentSeq: number, oldScope: SiteScope, scope: SiteScope): EntryBytes | null {
    const nowIn = inScope(this.descriptor, scope, row.place);
    if (row.seq > agentSeq) return nowIn ? entryJson(row) : removedJson(row);
    const wasIn = inScope(this.descriptor, oldScope, row.place);
    if (nowIn && !wasIn) return row.deleted ? null : entryJson(row);
    if (!nowIn && wasIn) return removedJson(row);
    return null;
  }

  /** The first `count` rows of a feed query, in seq order, read raw (no entity hydration). */
  private async rows(qb: SelectQueryBuilder<RecordRow>, count: number): Promise<FeedRow[]> {
    feedSelect(this.driver).forEach(([column, alias], i) => (i === 0 ? qb.select(column, alias) : qb.addSelect(column, alias)));
    const raw = await qb.orderBy('r.seq', 'ASC').limit(count).getRawMany<Record<string, unknown>>();
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
