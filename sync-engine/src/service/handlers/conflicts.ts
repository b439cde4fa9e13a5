import type { CommandArgs } from '../../api/contract.js';
import type { ResolutionChoice } from '../../domain/merge.js';
import { matchingSummary, resolveMatchingPage } from '../../conflicts/bulk-by-filter.js';
import { checkStillOpen, type ConflictResolution, type ResolveManyResult } from '../../conflicts/conflicts.js';
import { conflictVersion, type ConflictRecord } from '../../conflicts/conflict-rows.js';
import type { DatasetDescriptor } from '../../protocol/catalog.js';
import { fieldTitles } from '../../protocol/validation/index.js';
import { valuesEqual } from '../../domain/json-equal.js';
import { leftScopeMarks } from '../../records/left-scope.js';
import { getRecord } from '../../records/record-row.js';
import { LocalWriteRefused } from '../../records/write-errors.js';
import { StoreBusyError } from '../../store/agent-store.js';
import { folderFor, toApiError } from '../api-errors.js';
import { toConflictView } from '../conflict-view.js';
import { refusals } from '../service-errors.js';
import { storeFailure } from '../store-refusal.js';
import type { HandlerTable, ServiceCore } from '../service-core.js';

type ConflictCommands =
  | 'conflicts.list'
  | 'conflicts.get'
  | 'conflicts.resolve'
  | 'conflicts.resolveMany'
  | 'conflicts.matching'
  | 'conflicts.resolveMatching';

/** The conflict screen's commands: list, show, settle one (whole or per field), settle many alike (chosen, or all a filter holds). */
export const conflictHandlers: HandlerTable<ConflictCommands> = {
  'conflicts.list': async (core, args) => {
    const db = core.ctx.store.sql;
    // Filtered here, over all of them: a filter applied to one page would miss the alike conflicts past it.
    const filter = { status: args.status, dataset: args.dataset, kind: args.kind, field: args.field };
    const rows = await core.conflicts.list({ ...filter, limit: args.limit, offset: args.offset });
    const total = await core.conflicts.count(filter);
    const leftScope = await leftScopeMarks(db, rows);
    return { items: await Promise.all(rows.map((c) => view(core, c, leftScope(c.dataset, c.recordId)))), total };
  },

  'conflicts.get': async (core, args) => {
    const conflict = await core.conflicts.get(args.id);
    if (!conflict) return null;
    const leftScope = await leftScopeMarks(core.ctx.store.sql, [conflict]);
    return view(core, conflict, leftScope(conflict.dataset, conflict.recordId));
  },

  'conflicts.resolve': async (core, args, caller) => {
    const conflict = await core.conflicts.get(args.id);
    checkStillOpen(conflict, args.id, args.version);
    const descriptor = await core.ctx.catalog.get(core.ctx.store.sql, conflict.dataset);
    // The choices are read against this conflict; resolve() refuses if it was refreshed before its transaction.
    const outcome = await core.conflicts.resolve(args.id, resolutionOf(conflict, args, descriptor), { user: caller.user, version: args.version ?? conflictVersion(conflict) });
    const record = await getRecord(core.ctx.store.sql, conflict.dataset, conflict.recordId);
    await settled(core, [conflict]);
    // What happened, as it is: a record that left the office's scope, say, is sent nothing and leaves this computer.
    return { id: args.id, recordState: record?.state ?? null, sent: outcome === 'queued' };
  },

  'conflicts.resolveMany': async (core, args, caller) => {
    // Each version is checked in its conflict's own transaction: the stale ones stay open, the rest settle.
    // A data file busy stops it: that conflict and the ones not tried after it are left open, said `busy` alike.
    const results = await core.conflicts.resolveMany(args.ids, bulkResolution(args.take), { user: caller.user, versions: args.versions });
    return bulkAnswer(core, results);
  },

  'conflicts.matching': async (core, args) => matchingSummary(core.ctx.store, { dataset: args.dataset, kind: args.kind, field: args.field }),

  'conflicts.resolveMatching': async (core, args, caller) => {
    // A page of every conflict the filter holds, each on the version read with its page, none changed since the count.
    const filter = { dataset: args.dataset, kind: args.kind, field: args.field };
    const page = await resolveMatchingPage(core.ctx.store, core.conflicts, filter, bulkResolution(args.take), {
      through: args.through,
      after: args.after,
      limit: args.limit,
      user: caller.user,
    });
    const answer = await bulkAnswer(core, page.results);
    const changedSince = page.changedSince.map(({ id, leftFilter }) => ({ id, messages: leftFilter ? CHANGED_OUT_OF_FILTER : LocalWriteRefused.of('conflict_changed', id).messages }));
    return { ...answer, changed: [...answer.changed, ...changedSince], next: page.next, newSince: page.newSince, notTried: page.notTried };
  },
};

/** A counted conflict a newer national version refreshed after the count so that the filter no longer holds it (bulk-by-filter.ts). */
export const CHANGED_OUT_OF_FILTER = {
  vi: 'Bản quốc gia của bản ghi này thay đổi sau khi đếm, và xung đột nay không còn khớp bộ lọc (đổi loại, hoặc có trường khác cần quyết định), nên chưa được giải quyết và không còn trong danh sách đã lọc. Hãy bỏ bộ lọc, xem nội dung mới rồi chọn lại.',
  en: 'The national version of this record changed after the count, and the conflict no longer matches the filter (its kind changed, or another field is to decide), so it was not settled and is no longer in the filtered list. Clear the filter, look at the new content, then choose again.',
};

/**
 * The contract's choices as the engine's resolution:
 *   take local|national         keep this office's version / accept the national one
 *   fields {f: local|national}  per field, with `values` for typed-in values
 *   duplicate discard-local     a possible duplicate is the same person: drop this office's record
 *   duplicate keep-both         two people: send this office's record again with every clashing
 *                               unique value corrected in `values` (two people cannot share one)
 *   take local on a duplicate   send this office's record again as it is (the other record was
 *                               the wrong one and its office has corrected it), with any `values`
 */
export function resolutionOf(
  conflict: ConflictRecord,
  args: CommandArgs<'conflicts.resolve'>,
  descriptor: DatasetDescriptor | null = null,
): ConflictResolution {
  if (args.duplicate === 'discard-local') return { kind: 'discard-local' };
  const values = args.values ?? {};
  if (args.duplicate === 'keep-both' && conflict.kind === 'possible-duplicate') {
    const unchanged = clashingFields(conflict).filter((f) => !(f in values) || valuesEqual(values[f], conflict.local.data?.[f]));
    if (unchanged.length > 0) throw refusals.duplicateUnchanged(unchanged.map((f) => ({ path: `/${f}`, title: descriptor ? fieldTitles(descriptor, f) : { vi: f, en: f } })));
    return { kind: 'edit', data: { ...(conflict.local.data ?? {}), ...values } };
  }
  if (conflict.kind === 'possible-duplicate' && args.take === 'local') {
    if (Object.keys(values).length === 0) return { kind: 'keep-local' };
    return { kind: 'edit', data: { ...(conflict.local.data ?? {}), ...values } };
  }
  const fields = args.fields ?? {};
  // A side taken for a field the conflict does not show would take nothing (a typo), the others settling silently.
  // A possible duplicate's choices may name any field of this office's record.
  if (conflict.kind !== 'possible-duplicate') {
    const choosable = [...new Set([...conflict.fields.map((f) => f.field), ...(conflict.details.autoResolved ?? []).map((r) => r.field)])];
    const unknown = Object.keys(fields).filter((f) => !choosable.includes(f));
    if (unknown.length > 0) throw refusals.unknownConflictField(unknown, choosable);
  }
  if (Object.keys(fields).length > 0 || Object.keys(values).length > 0) {
    const choices: Record<string, ResolutionChoice> = {};
    if (args.take) for (const f of conflict.fields) choices[f.field] = { take: args.take === 'local' ? 'local' : 'remote' };
    for (const [field, side] of Object.entries(fields)) choices[field] = { take: side === 'local' ? 'local' : 'remote' };
    for (const [field, value] of Object.entries(values)) choices[field] = { value };
    return { kind: 'fields', choices };
  }
  if (args.take === 'local') return { kind: 'keep-local' };
  if (args.take === 'national') return { kind: 'take-remote' };
  throw refusals.resolutionMissing();
}

/** The unique fields whose values the platform found on another record. */
function clashingFields(conflict: ConflictRecord): string[] {
  return conflict.details.uniqueFields ?? conflict.fields.map((f) => f.field);
}

function bulkResolution(take: 'local' | 'national'): ConflictResolution {
  return take === 'local' ? { kind: 'keep-local' } : { kind: 'take-remote' };
}

/** A bulk take's answer: how many settled (and of them gone from this computer), and each left open with why. */
async function bulkAnswer(core: ServiceCore, results: readonly ResolveManyResult[]) {
  const refused = await Promise.all(
    results.flatMap((r) => (r.ok ? [] : [r])).map(async (r) => ({ id: r.id, messages: (await apiErrorOf(core, r.error)).messages, why: whyLeftOpen(core, r.error) })),
  );
  const resolvedIds = new Set(results.filter((r) => r.ok).map((r) => r.id));
  const touched = (await Promise.all([...resolvedIds].map((id) => core.conflicts.get(id)))).filter((c): c is ConflictRecord => c !== null);
  await settled(core, touched);
  const gone = (await Promise.all(touched.map((c) => getRecord(core.ctx.store.sql, c.dataset, c.recordId)))).filter((r) => r === null).length;
  const left = (why: ReturnType<typeof whyLeftOpen>) => refused.filter((r) => r.why === why).map(({ id, messages }) => ({ id, messages }));
  return { resolved: resolvedIds.size, gone, changed: left('changed'), outOfScope: left('out_of_scope'), busy: left('busy'), failed: left('failed') };
}

/**
 * Why a conflict of a bulk take stays open: a newer national version refreshed it after the
 * person looked, its record left this office's scope (only the national side can be kept), the
 * data file was busy (at it or at an earlier one, and the bulk take stopped there), or else.
 */
function whyLeftOpen(core: ServiceCore, error: Error): 'changed' | 'out_of_scope' | 'busy' | 'failed' {
  if (storeFailure(core.dataDir, error) instanceof StoreBusyError) return 'busy';
  if (!(error instanceof LocalWriteRefused)) return 'failed';
  return error.code === 'conflict_changed' ? 'changed' : error.code === 'left_scope' ? 'out_of_scope' : 'failed';
}

/** A conflict's failure as the AgentApi says it: a data file kept busy or found damaged meanwhile says so (toApiError's folder). */
async function apiErrorOf(core: ServiceCore, error: Error) {
  return toApiError(error, await folderFor(error, core.dataDir, () => core.lease.otherHolder()));
}

async function view(core: ServiceCore, conflict: ConflictRecord, leftScope: boolean) {
  return toConflictView(conflict, await core.ctx.catalog.get(core.ctx.store.sql, conflict.dataset), leftScope);
}

async function settled(core: ServiceCore, conflicts: readonly ConflictRecord[]): Promise<void> {
  const open = await core.conflicts.countOpen();
  core.bus.emit('conflicts.changed', { open, added: [] });
  const byDataset = new Map<string, string[]>();
  for (const c of conflicts) byDataset.set(c.dataset, [...(byDataset.get(c.dataset) ?? []), c.recordId]);
  for (const [dataset, ids] of byDataset) core.bus.emit('records.changed', { dataset, ids });
  core.statusChanged();
}
