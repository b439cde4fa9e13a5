import type { DatasetDescriptor } from '../../protocol/catalog.js';
import { recordProblems } from '../../records/record-checks.js';
import { checkFilter } from '../filter-refusal.js';
import { UnknownDataset } from '../../records/write-errors.js';
import { validateRecordData } from '../../protocol/validation/index.js';
import { toFieldError } from '../api-errors.js';
import { liveCounts, recordViewsWithErrors, toDatasetView } from '../record-views.js';
import type { HandlerTable, ServiceCore } from '../service-core.js';

type RecordCommands = 'datasets.list' | 'records.list' | 'records.get' | 'records.validate' | 'records.put' | 'records.delete';

/** Datasets and records: reads of the local cache (offline too) and local writes through the outbox. */
export const recordHandlers: HandlerTable<RecordCommands> = {
  'datasets.list': async (core) => {
    const counts = await liveCounts(core.ctx.store);
    const identity = await core.ctx.credentials.identity(core.ctx.store.sql);
    return (await core.ctx.catalog.list(core.ctx.store.sql)).map((d) => toDatasetView(d, counts.get(d.name) ?? 0, identity?.scope ?? null));
  },

  'records.list': async (core, args) => {
    const descriptor = await descriptorOf(core, args.dataset);
    if (args.filter) checkFilter(descriptor, args.filter);
    const paging = { limit: args.limit, offset: args.offset, ...(args.state ? { state: args.state } : {}), filter: args.filter };
    const page =
      args.search !== undefined && args.search.trim() !== ''
        ? await core.search.searchRecords(args.dataset, args.search, paging)
        : await core.reads.list(args.dataset, paging);
    return { items: await recordViewsWithErrors(core.ctx.store.sql, page.items), total: page.total, ...(page.totalCapped ? { totalCapped: true as const } : {}) };
  },

  'records.get': async (core, args) => {
    const record = await core.reads.get(args.dataset, args.id);
    if (!record) {
      // No such record; in no such dataset, says so (read only then).
      await descriptorOf(core, args.dataset);
      return null;
    }
    const [view] = await recordViewsWithErrors(core.ctx.store.sql, [record]);
    return view ?? null;
  },

  'records.validate': async (core, args) => {
    const descriptor = await descriptorOf(core, args.dataset);
    const identity = await core.ctx.credentials.identity(core.ctx.store.sql);
    const problems = identity
      ? recordProblems(descriptor, args.data, identity.scope, core.ctx.adminUnits)
      : validateRecordData(descriptor, args.data, { adminUnits: core.ctx.adminUnits });
    return { errors: problems.map(toFieldError) };
  },

  'records.put': async (core, args, caller) => {
    const { record } = await core.writes.put(args.dataset, args.data, { user: caller.user, ...(args.id ? { id: args.id } : {}) });
    core.bus.emit('records.changed', { dataset: args.dataset, ids: [record.id] });
    core.statusChanged();
    return { id: record.id, state: record.state };
  },

  'records.delete': async (core, args, caller) => {
    const { record, sent } = await core.writes.delete(args.dataset, args.id, { user: caller.user });
    core.bus.emit('records.changed', { dataset: args.dataset, ids: [record.id] });
    core.statusChanged();
    return { id: record.id, state: record.state, sent };
  },
};

async function descriptorOf(core: ServiceCore, dataset: string): Promise<DatasetDescriptor> {
  const descriptor = await core.ctx.catalog.get(core.ctx.store.sql, dataset);
  if (!descriptor) throw new UnknownDataset(dataset);
  return descriptor;
}
