import assert from 'node:assert/strict';
import type { WriteOutcome } from '../../../national-platform/src/index.js';
import type { SampleGenerator } from '../../../national-platform/src/seed/samples.js';
import type { RecordData } from '../../../sync-engine/src/protocol/records.js';
import type { AgentService } from '../../../sync-engine/src/index.js';
import { ok, syncOk, type TestPlatform } from './agent-fixture.js';

// What the national side does to records an office holds, for the tests of the changes it holds back:
// records the office pulled, field conflicts, a move out of the office's scope, a purged record.

/** A province other than PROVINCE (agent-fixture.ts): a record moved there has left the tests' offices' scope. */
const ELSEWHERE = '04';

/** A national record as written, with the data it was written with. */
export interface NationalRecord extends WriteOutcome {
  data: RecordData;
}

/** National records of `data` (in the office's province), which the agent then holds: one sync. */
export async function pulledRecords<const D extends readonly RecordData[]>(agent: AgentService, p: TestPlatform, dataset: string, data: D): Promise<{ [K in keyof D]: NationalRecord }> {
  const written: NationalRecord[] = [];
  for (const d of data) written.push({ ...(await p.platform.admin.putRecord(dataset, d)), data: d });
  await syncOk(agent);
  return written as { [K in keyof D]: NationalRecord };
}

/**
 * Field conflicts: this office sets each record's registrar to 'Cán bộ xã' while the platform sets it
 * to 'Cán bộ quốc gia'; one sync brings them. Returns the platform's new versions, in the same order.
 */
export async function fieldConflicts<const R extends readonly NationalRecord[]>(agent: AgentService, p: TestPlatform, dataset: string, records: R): Promise<{ [K in keyof R]: WriteOutcome }> {
  for (const r of records) await ok(agent, 'records.put', { dataset, id: r.id, data: { ...r.data, registrar: 'Cán bộ xã' } });
  const national: WriteOutcome[] = [];
  for (const r of records) national.push(await p.platform.admin.putRecord(dataset, { ...r.data, registrar: 'Cán bộ quốc gia' }, { id: r.id, baseRev: r.rev }));
  await syncOk(agent);
  return national as { [K in keyof R]: WriteOutcome };
}

/** The record (at `rev` nationally) moves to another province: it leaves the office's scope, which the office learns at its next pull. */
export async function moveOutOfScope(p: TestPlatform, gen: SampleGenerator, dataset: string, record: { id: string; rev: number }): Promise<WriteOutcome> {
  return p.platform.admin.putRecord(dataset, gen.sample(dataset, ELSEWHERE), { id: record.id, baseRev: record.rev });
}

/** The platform deletes the records and purges their tombstones: it no longer holds them, and answers a push about them `not_found`. */
export async function purgeNationally(p: TestPlatform, dataset: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) await p.platform.admin.deleteRecord(dataset, id);
  assert.equal((await p.platform.admin.purgeTombstones(0)).purgedTombstones, ids.length);
}
