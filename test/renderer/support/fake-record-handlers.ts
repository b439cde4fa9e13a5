/**
 * The fake agent's records.* commands (and exports.read): the engine's own
 * record validation, search fold, import reading and write refusals over the
 * fake's in-memory records.
 */
import type { RecordView } from '../../../sync-engine/src/api/index.js';
import { applyFilter } from './fake-filters.js';
import { searchTokens } from '../../../sync-engine/src/domain/search-fold.js';
import { importRecords } from '../../../sync-engine/src/import/index.js';
import { datasetByName } from '../../../sync-engine/src/protocol/datasets/index.js';
import { validateRecordData } from '../../../sync-engine/src/protocol/validation/index.js';
import type { CreateOutcome, LocalCreates, NewRecord } from '../../../sync-engine/src/records/local-creates.js';
import { LocalWriteRefused } from '../../../sync-engine/src/records/write-errors.js';
import { COUNTED_MATCHES } from '../../../sync-engine/src/search/record-search.js';
import { toApiError, toFieldError } from '../../../sync-engine/src/service/api-errors.js';
import { fail, ok } from './fake-answers.js';
import type { Handlers } from './fake-answers.js';
import type { FakeAgent } from './fake-agent.js';
import { fakeId } from './fake-ids.js';

/** The engine's own answer to an edit or delete of a record the platform no longer holds, or that left the office's scope (the platform's own answer first). */
const writeRefusal = (r: RecordView) =>
  r.notOnPlatform || r.leftScope ? { ok: false as const, error: toApiError(LocalWriteRefused.of(r.notOnPlatform ? 'not_on_platform' : 'left_scope', r.id)) } : null;

/** As LocalCreates.createMany: each row checked, one whose unique value a record holds is present; with dryRun nothing is written. */
function createMany(agent: FakeAgent, dataset: string, rows: readonly NewRecord[], dryRun: boolean): CreateOutcome[] {
  const d = datasetByName(dataset)!;
  const list = agent.records.get(dataset)!;
  const holder = (field: string, value: unknown) => list.find((r) => !r.deleted && r.data?.[field] === value);
  return rows.map(({ data: record }) => {
    const errors = validateRecordData(d, record);
    if (errors.length) return { kind: 'refused', errors };
    for (const field of d.uniqueFields) {
      const held = record[field] === undefined ? undefined : holder(field, record[field]);
      if (held) return { kind: 'present', id: held.id, field };
    }
    const id = fakeId(6, list.length + 1);
    if (dryRun) return { kind: 'created', id };
    const view: RecordView = { dataset, id, rev: null, deleted: false, state: 'waiting', data: record, updatedAt: new Date().toISOString(), leftScope: false, notOnPlatform: false };
    list.unshift(view);
    agent.index(view);
    agent.changed(dataset, [id]);
    return { kind: 'created', id };
  });
}

/** records.list, .get, .history, .validate, .put, .delete, .import, .export and exports.read. */
export function recordHandlers(agent: FakeAgent) {
  return {
    'records.list': ({ dataset, search, state, filter, offset, limit }) => {
      let list = applyFilter(agent, agent.records.get(dataset) ?? [], filter);
      if (agent.listTotal?.dataset === dataset && !search && !state && !filter) {
        const many = agent.listTotal.total;
        const items = Array.from({ length: Math.max(0, Math.min(limit, many - offset)) }, (_, i) => list[(offset + i) % list.length]!);
        return ok({ items, total: many });
      }
      const tokens = search ? searchTokens(search) : [];
      if (tokens.length) list = list.filter((r) => tokens.every((t) => agent.searchText.get(`${r.dataset}/${r.id}`)!.includes(t)));
      if (state) list = list.filter((r) => r.state === state);
      // As the engine's search: past COUNTED_MATCHES it counts no further and says so.
      if (tokens.length && list.length > COUNTED_MATCHES) return ok({ items: list.slice(offset, offset + limit), total: COUNTED_MATCHES, totalCapped: true as const });
      return ok({ items: list.slice(offset, offset + limit), total: list.length });
    },
    'records.get': ({ dataset, id }) => ok(agent.byId.get(`${dataset}/${id}`) ?? null),
    'records.history': ({ dataset, id, limit, before }) => {
      const older = (agent.histories.get(`${dataset}/${id}`) ?? []).filter((e) => before === undefined || e.seq < before);
      const items = older.slice(0, limit);
      const current = before === undefined ? agent.currentVersions.get(`${dataset}/${id}`) : undefined;
      return ok({ ...(current ? { current } : {}), items, next: older.length > limit ? (items.at(-1)?.seq ?? null) : null });
    },
    'records.validate': ({ dataset, data: record }) => {
      const d = datasetByName(dataset);
      if (!d) return fail('not_found', 'Không có bộ dữ liệu này.', 'No such dataset.');
      return ok({ errors: validateRecordData(d, record).map(toFieldError) });
    },
    'records.put': ({ dataset, data: record, id }) => {
      const d = datasetByName(dataset);
      if (!d) return fail('not_found', 'Không có bộ dữ liệu này.', 'No such dataset.');
      if (d.access !== 'read-write') return fail('read_only', 'Bộ dữ liệu chỉ đọc.', 'The dataset is read-only.');
      if (agent.putRefusal) return { ok: false, error: agent.putRefusal };
      const errors = validateRecordData(d, record);
      if (errors.length) {
        return {
          ok: false,
          error: {
            code: 'validation_failed',
            messages: { vi: 'Bản ghi chưa hợp lệ.', en: 'The record is not valid.' },
            fieldErrors: errors.map(toFieldError),
          },
        };
      }
      const list = agent.records.get(dataset)!;
      const existing = id ? agent.byId.get(`${dataset}/${id}`) : undefined;
      const refused = existing ? writeRefusal(existing) : null;
      if (refused) return refused;
      const view: RecordView = {
        dataset,
        id: id ?? fakeId(5, list.length + 1),
        rev: existing?.rev ?? null,
        deleted: false,
        state: 'waiting',
        data: record,
        updatedAt: new Date().toISOString(),
        leftScope: false,
        notOnPlatform: false,
      };
      if (existing) list[list.indexOf(existing)] = view;
      else list.unshift(view);
      agent.index(view);
      agent.changed(dataset, [view.id]);
      return ok({ id: view.id, state: view.state });
    },
    'records.delete': ({ dataset, id }) => {
      const r = agent.byId.get(`${dataset}/${id}`);
      if (!r) return fail('not_found', 'Không tìm thấy bản ghi.', 'Record not found.');
      const refused = writeRefusal(r);
      if (refused) return refused;
      if (r.state === 'conflict') {
        // The engine's own refusal: a record with an open conflict is settled first.
        return { ok: false as const, error: { code: 'conflict_unresolved' as const, messages: LocalWriteRefused.of('conflict_open', id).messages } };
      }
      Object.assign(r, { deleted: true, state: 'waiting' });
      agent.changed(dataset, [id]);
      // As the engine: a record the platform never accepted only leaves this computer.
      return ok({ id, state: 'waiting' as const, sent: r.rev !== null });
    },
    // The engine's own reading of the file (columns, cells, refusals by line); the writes are this fake's (its createMany).
    'records.import': async ({ dataset, csv, xlsx, source, dryRun }) => {
      const d = datasetByName(dataset);
      if (!d) return fail('not_found', 'Không có bộ dữ liệu này.', 'No such dataset.');
      if (d.access !== 'read-write') return fail('read_only', 'Bộ dữ liệu chỉ đọc.', 'The dataset is read-only.');
      const creates = { createMany: (_: string, rows: readonly NewRecord[]) => createMany(agent, dataset, rows, dryRun) } as unknown as LocalCreates;
      const file = xlsx !== undefined ? { xlsx: Buffer.from(xlsx, 'base64') } : { csv: csv ?? '' };
      const outcome = await importRecords(d, creates, { dataset, ...file, source: source ?? null, dryRun });
      return outcome.ok ? ok(outcome.result) : { ok: false as const, error: { code: 'invalid_input' as const, messages: outcome.messages } };
    },
    // The records the list shows for the same filter, counted; the "file" (a line per record) is kept in memory for exports.read.
    'records.export': ({ dataset, search, state, filter, format }) => {
      const tokens = search ? searchTokens(search) : [];
      const shown = applyFilter(agent, agent.records.get(dataset) ?? [], filter).filter(
        (r) => (!state || r.state === state) && tokens.every((t) => agent.searchText.get(`${r.dataset}/${r.id}`)!.includes(t)),
      );
      return ok(agent.exports.write(dataset, shown, format));
    },
    // As the engine's: chunks of a file records.export made; any other name not_found.
    'exports.read': ({ name, offset }) => agent.exports.read(name, offset),
  } satisfies Partial<Handlers>;
}
