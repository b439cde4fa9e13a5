import assert from 'node:assert/strict';
import { afterEach, beforeEach } from 'node:test';
import { datasetByName } from '../../../sync-engine/src/protocol/datasets/index.js';
import { uuidv7 } from '../../../sync-engine/src/protocol/uuid.js';
import { pullDataset, type PullTotals } from '../../../sync-engine/src/sync/pull-phase.js';
import type { SyncSummary } from '../../../sync-engine/src/sync/sync-events.js';
import { SyncRun } from '../../../sync-engine/src/sync/sync-run.js';
import { validBirth } from '../../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './engine-fixture.js';
import { RefusingPlatform } from './refusing-platform.js';

/** The dataset the tests of held-back changes write (birth records, validBirth). */
export const DS = 'civil-status-births';
const BIRTHS = datasetByName(DS)!;

/** Each test's own engine fixture and RefusingPlatform, and the steps the tests of held-back changes share. */
export interface RefusingEngine {
  readonly f: EngineFixture;
  readonly platform: RefusingPlatform;
  /** One pull of the births (every page); its totals (`resynced` after a 410). */
  pull(): Promise<PullTotals>;
  /** One manual sync run. */
  sync(): Promise<SyncSummary>;
  /** A national record of `fullName` (version 1) the office has pulled; its id. */
  national(fullName: string): Promise<string>;
  /** A record of `fullName` in conflict: this office set the registrar to 'Lê Văn Bình', the platform (version 2) to 'Hoàng Minh Đức'. */
  conflicted(fullName: string): Promise<{ id: string; conflictId: string }>;
  /** The record leaves the office's scope on the platform, and the office pulls its `removed`. */
  leaves(id: string): Promise<void>;
}

/**
 * Registers, for every test of the file it is called in, a fresh engine fixture (Hà Nội) and a
 * RefusingPlatform, closed after the test; `f` and `platform` are the running test's. A file's own
 * beforeEach runs after this one's, so it may wrap `platform.onPush`.
 */
export function refusingEnginePerTest(): RefusingEngine {
  let f: EngineFixture | undefined;
  let platform: RefusingPlatform | undefined;
  beforeEach(async () => {
    f = await openEngineFixture();
    platform = new RefusingPlatform();
  });
  afterEach(async () => f?.close());

  const env: RefusingEngine = {
    get f() {
      assert.ok(f, 'inside a test');
      return f;
    },
    get platform() {
      assert.ok(platform, 'inside a test');
      return platform;
    },
    pull: async () => {
      const totals: PullTotals = { pulled: 0, conflicts: 0, autoMerged: 0, resent: 0, swept: 0, resynced: false };
      await pullDataset(env.f.ctx, env.platform, BIRTHS, { limit: 1000, maxPages: 100 }, totals);
      return totals;
    },
    sync: () => new SyncRun({ ctx: env.f.ctx, client: env.platform }).run('manual'),
    national: async (fullName) => {
      const id = uuidv7();
      env.platform.put(DS, id, 1, validBirth({ fullName }));
      await env.pull();
      return id;
    },
    conflicted: async (fullName) => {
      const id = await env.national(fullName);
      await env.f.writes.put(DS, validBirth({ fullName, registrar: 'Lê Văn Bình' }), { id });
      env.platform.put(DS, id, 2, validBirth({ fullName, registrar: 'Hoàng Minh Đức' }));
      await env.pull();
      const conflict = (await env.f.conflicts.list({ status: 'open' })).find((c) => c.recordId === id);
      assert.ok(conflict);
      assert.equal((await env.f.outbox.list()).some((e) => e.recordId === id), false, 'the edit waits in the conflict, not in the outbox');
      return { id, conflictId: conflict.id };
    },
    leaves: async (id) => {
      env.platform.moveAway(DS, id);
      await env.pull();
    },
  };
  return env;
}
