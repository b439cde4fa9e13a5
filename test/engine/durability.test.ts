import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { REDOABLE, type TransactionOptions } from '../../sync-engine/src/store/durability.js';
import type { Sql } from '../../sync-engine/src/store/sql.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

// SQLite's numbers for PRAGMA synchronous.
const FULL = 2;
const NORMAL = 1;
const DS = 'civil-status-births';

interface Observed {
  synchronous: number;
  /** The transaction moved a pull cursor. */
  cursor: boolean;
  /** The transaction added an outbox entry (a local change). */
  queued: boolean;
  /** The transaction marked outbox entries in flight (a push batch about to be sent). */
  marked: boolean;
}

let f: EngineFixture;
let observed: Observed[];

async function synchronousIn(tx: Sql): Promise<number> {
  return (await tx.get<{ synchronous: number }>('PRAGMA synchronous'))?.synchronous ?? -1;
}

async function fingerprint(tx: Sql): Promise<{ cursors: string; outbox: number; attempts: number }> {
  const cursors = JSON.stringify(await tx.all('SELECT "dataset", "cursor" FROM "cursors" ORDER BY "dataset"'));
  const outbox = (await tx.get<{ n: number }>('SELECT COALESCE(MAX("seq"), 0) AS n FROM "outbox"'))?.n ?? 0;
  const attempts = (await tx.get<{ n: number }>(`SELECT COALESCE(SUM("attempts"), 0) AS n FROM "outbox" WHERE "status" = 'in_flight'`))?.n ?? 0;
  return { cursors, outbox, attempts };
}

beforeEach(async () => {
  f = await openEngineFixture();
  observed = [];
  // Watch every transaction the engine runs: the setting it commits under, and what it wrote.
  const transaction = f.store.transaction.bind(f.store);
  f.store.transaction = <T>(fn: (tx: Sql) => Promise<T>, options?: TransactionOptions): Promise<T> =>
    transaction(async (tx) => {
      const before = await fingerprint(tx);
      const out = await fn(tx);
      const after = await fingerprint(tx);
      observed.push({
        synchronous: await synchronousIn(tx),
        cursor: before.cursors !== after.cursors,
        queued: after.outbox > before.outbox,
        marked: after.attempts > before.attempts,
      });
      return out;
    }, options);
});
afterEach(async () => f.close());

test('a transaction commits durably unless it says the agent redoes it, and the setting does not leak to the next one', async () => {
  const seen: number[] = [];
  const note = async (tx: Sql) => void seen.push(await synchronousIn(tx));
  await f.store.transaction(note);
  await f.store.transaction(note, REDOABLE);
  await f.store.transaction(note, REDOABLE);
  await f.store.transaction(note);
  await assert.rejects(f.store.transaction(async () => Promise.reject(new Error('boom')), REDOABLE), /boom/);
  await f.store.transaction(note);
  assert.deepEqual(seen, [FULL, NORMAL, NORMAL, FULL, FULL]);
});

test('a local write commits durably, before and after a sync whose pulled pages may be redone', async () => {
  await f.writes.put(DS, validBirth());
  assert.deepEqual(
    observed.map((o) => [o.synchronous, o.queued]),
    [[FULL, true]],
    'the write queued its change under synchronous=FULL',
  );

  const platform = new ScriptedPlatform();
  platform.put(DS, uuidv7(), 1, validBirth({ personalId: '001301000001' }));
  observed = [];
  const summary = await new SyncRun({ ctx: f.ctx, client: platform }).run('manual');
  assert.equal(summary.status, 'ok');
  const pages = observed.filter((o) => o.cursor);
  assert.ok(pages.length > 0, 'the sync stored a cursor');
  assert.deepEqual(new Set(pages.map((o) => o.synchronous)), new Set([NORMAL]), 'a pulled page and its cursor are pulled again if a power cut undoes them');
  assert.ok(observed.every((o) => !o.queued), 'the sync queued no local change');

  observed = [];
  await f.writes.put(DS, validBirth({ personalId: '001301000002' }));
  await f.writes.delete(DS, (await f.reads.list(DS, { limit: 1 })).items[0]!.id);
  assert.deepEqual(
    observed.map((o) => [o.synchronous, o.queued]),
    [
      [FULL, true],
      [FULL, true],
    ],
  );
});

test('a push batch is marked in flight durably before it is sent', async () => {
  // Undone by a power cut after the platform applied it, the mark would leave the entry
  // 'queued' under the applied mutationId, and the next local edit would merge into it.
  await f.writes.put(DS, validBirth());
  await f.writes.put(DS, validBirth({ personalId: '001301000002' }));
  const platform = new ScriptedPlatform();
  let marksBeforeSend: number[] = [];
  const answer = platform.onPush;
  platform.onPush = (mutations) => {
    marksBeforeSend = observed.filter((o) => o.marked).map((o) => o.synchronous);
    return answer(mutations);
  };
  observed = [];
  const summary = await new SyncRun({ ctx: f.ctx, client: platform }).run('manual');
  assert.equal(summary.status, 'ok');
  assert.equal(platform.pushed.flat().length, 2);
  assert.deepEqual(marksBeforeSend, [FULL], 'the batch was marked in flight under synchronous=FULL, committed before it went out');
});
