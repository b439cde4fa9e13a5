import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sqlite3 from 'sqlite3';
import { AGENT_DB_FILE, openAgentStore, StoreBusyError, StoreCorruptedError } from '../../sync-engine/src/store/agent-store.js';
import { ENTITIES } from '../../sync-engine/src/store/entities.js';
import { LeaseStore } from '../../sync-engine/src/store/lease-store.js';
import { MIGRATIONS } from '../../sync-engine/src/store/migrations/index.js';
import type { Sql } from '../../sync-engine/src/store/sql.js';
import { damageFullTextIndex, damageStoreFile } from '../support/damage-store.js';
import { holdWrite } from '../support/hold-write.js';

const TABLES = [
  'records',
  'records_fts',
  'outbox',
  'conflicts',
  'cursors',
  'catalog',
  'digests',
  'sync_runs',
  'health_samples',
  'audit_log',
  'settings',
  'credentials',
  'lease',
];

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'store-'));
}

test('opening a new data folder runs the migrations and creates every table and index', async () => {
  const dir = tempDir();
  try {
    const store = await openAgentStore(dir);
    const names = (await store.sql.all<{ name: string }>(`SELECT name FROM sqlite_master`)).map((r) => r.name);
    for (const table of TABLES) assert.ok(names.includes(table), `missing ${table}`);
    for (const index of ['ix_records_live', 'ix_records_pending', 'ix_records_search', 'ix_outbox_status_seq', 'ix_outbox_record', 'ux_conflicts_open', 'ux_records_dataset_id']) {
      assert.ok(names.includes(index), `missing ${index}`);
    }
    const [journal] = await store.sql.all<{ journal_mode: string }>('PRAGMA journal_mode');
    const [sync] = await store.sql.all<{ synchronous: number }>('PRAGMA synchronous');
    const [fk] = await store.sql.all<{ foreign_keys: number }>('PRAGMA foreign_keys');
    const [busy] = await store.sql.all<{ timeout: number }>('PRAGMA busy_timeout');
    assert.equal(journal?.journal_mode, 'wal');
    assert.equal(sync?.synchronous, 2, 'synchronous=FULL unless a transaction says it may be redone');
    assert.equal(fk?.foreign_keys, 1);
    assert.ok((busy?.timeout ?? 0) > 0);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('re-opening a store runs no migration twice and keeps its data', async () => {
  const dir = tempDir();
  try {
    const first = await openAgentStore(dir);
    await first.transaction((tx) => tx.run(`INSERT INTO "settings" ("key", "value") VALUES ('k', '1')`));
    await first.close();
    const second = await openAgentStore(dir);
    const migrations = await second.sql.all<{ name: string }>('SELECT name FROM schema_migrations');
    assert.equal(migrations.length, MIGRATIONS.length);
    assert.equal((await second.sql.get<{ value: string }>(`SELECT value FROM settings WHERE key = 'k'`))?.value, '1');
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the entity schemas name the same columns, nullability and types as the migrations', async () => {
  const dir = tempDir();
  try {
    const store = await openAgentStore(dir);
    for (const entity of ENTITIES) {
      const meta = store.dataSource.getMetadata(entity);
      const info = await store.sql.all<{ name: string; type: string; notnull: number; pk: number }>(`PRAGMA table_info("${meta.tableName}")`);
      const actual = info.map((c) => `${c.name}:${c.type.toLowerCase()}:${c.notnull || c.pk ? 'not-null' : 'null'}`).sort();
      const declared = meta.columns.map((c) => `${c.databaseName}:${String(c.type)}:${c.isNullable ? 'null' : 'not-null'}`).sort();
      assert.deepEqual(declared, actual, meta.tableName);
    }
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that is not a SQLite database is reported as a corrupted store, not opened', async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, AGENT_DB_FILE), Buffer.alloc(8192, 0x41));
    await assert.rejects(openAgentStore(dir), (error: unknown) => {
      assert.ok(error instanceof StoreCorruptedError);
      assert.equal(error.kind, 'store_corrupted');
      assert.match(error.messages.vi, /bị hỏng/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Opens `dir` as a second process would and holds its write lock (a write begun, not committed) until `release()`. */
async function holdWriteLock(dir: string): Promise<{ release(): Promise<void> }> {
  const store = await openAgentStore(dir);
  const write = await holdWrite(store, 'writing');
  return {
    async release() {
      await write.release();
      await store.close();
    },
  };
}

test('a store whose write lock another connection keeps past the busy timeout is reported in use, not damaged', async () => {
  const dir = tempDir();
  try {
    const writer = await holdWriteLock(dir);
    try {
      // The full check's part for records_fts (an FTS5 'integrity-check', which needs the write lock) waits for it, then gives up.
      await assert.rejects(openAgentStore(dir, { busyTimeoutMs: 200 }), (error: unknown) => {
        assert.ok(!(error instanceof StoreCorruptedError), `not damaged: ${String(error)}`);
        assert.ok(error instanceof StoreBusyError, `StoreBusyError, got ${String(error)}`);
        assert.equal(error.kind, 'store_busy');
        assert.match(error.messages.vi, /không bị hỏng/);
        assert.match(error.messages.en, /in use by another program; the data is not damaged/);
        return true;
      });
    } finally {
      await writer.release();
    }
    const store = await openAgentStore(dir);
    assert.equal((await store.sql.get<{ value: string }>(`SELECT value FROM settings WHERE key = 'writing'`))?.value, '1');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('opening a store while another connection writes waits for that write within the busy timeout, then opens', async () => {
  const dir = tempDir();
  try {
    const writer = await holdWriteLock(dir);
    const opening = openAgentStore(dir, { busyTimeoutMs: 60_000 });
    const outcome = opening.then(
      () => 'opened',
      (error: unknown) => `failed: ${String(error)}`,
    );
    // Still waiting a moment later (before, its check failed at once as damage); then the write ends.
    const raced = await Promise.race([outcome, new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 300))]);
    assert.equal(raced, 'waiting', 'the open waits for the write instead of failing');
    await writer.release();
    assert.equal(await outcome, 'opened');
    await (await opening).close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an open with integrityCheck 'read-only' (a second process's) checks the file without the write lock: it opens while another connection holds it", async () => {
  const dir = tempDir();
  try {
    const writer = await holdWriteLock(dir);
    try {
      // Before, the check of records_fts needed the write lock: StoreBusyError at the busy timeout.
      const second = await openAgentStore(dir, { integrityCheck: 'read-only', busyTimeoutMs: 200 });
      assert.equal(await second.sql.get(`SELECT value FROM settings WHERE key = 'writing'`), undefined, 'the write is not committed yet');
      await second.close();
    } finally {
      await writer.release();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a damaged full-text index is found by the full check at open and by checkFullTextIndex after a 'read-only' open; damaged pages, by both opens", async () => {
  const dir = tempDir();
  const pages = tempDir();
  try {
    await damageFullTextIndex(dir);
    await assert.rejects(openAgentStore(dir), (error: unknown) => {
      assert.ok(error instanceof StoreCorruptedError, String(error));
      assert.deepEqual(error.problems, ['malformed inverted index for FTS5 table main.records_fts']);
      return true;
    });
    const store = await openAgentStore(dir, { integrityCheck: 'read-only' });
    try {
      await assert.rejects(store.checkFullTextIndex(), (error: unknown) => {
        assert.ok(error instanceof StoreCorruptedError, String(error));
        assert.deepEqual(error.problems, ['malformed inverted index for FTS5 table main.records_fts']);
        return true;
      });
      // The connection is out of the check's transaction: it still writes.
      await store.transaction((tx) => tx.run(`INSERT INTO "settings" ("key", "value") VALUES ('after', '1')`));
    } finally {
      await store.close();
    }

    await damageStoreFile(pages);
    for (const integrityCheck of [true, 'read-only'] as const) {
      await assert.rejects(openAgentStore(pages, { integrityCheck }), (error: unknown) => error instanceof StoreCorruptedError, String(integrityCheck));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(pages, { recursive: true, force: true });
  }
});

test('a failing transaction leaves nothing behind and later transactions still run', async () => {
  const dir = tempDir();
  try {
    const store = await openAgentStore(dir);
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.run(`INSERT INTO "settings" ("key", "value") VALUES ('a', '1')`);
        throw new Error('boom');
      }),
      /boom/,
    );
    // Overlapping transactions are serialised, not nested into each other.
    await Promise.all([
      store.transaction((tx) => tx.run(`INSERT INTO "settings" ("key", "value") VALUES ('b', '1')`)),
      store.transaction(async (tx) => {
        await tx.run(`INSERT INTO "settings" ("key", "value") VALUES ('c', '1')`);
        throw new Error('second fails');
      }).catch(() => undefined),
      store.transaction((tx) => tx.run(`INSERT INTO "settings" ("key", "value") VALUES ('d', '1')`)),
    ]);
    const keys = (await store.sql.all<{ key: string }>('SELECT key FROM settings ORDER BY key')).map((r) => r.key);
    assert.deepEqual(keys, ['b', 'd']);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after a failed transaction the next one commits, also when SQLite ended the failed one by itself', async () => {
  const dir = tempDir();
  try {
    const store = await openAgentStore(dir);
    const insert = (tx: Sql, key: string) => tx.run(`INSERT INTO "settings" ("key", "value") VALUES (?, '1')`, [key]);
    // SQLite ends a transaction by itself on SQLITE_FULL or SQLITE_IOERR; a ROLLBACK inside plays that part.
    await assert.rejects(
      store.transaction(async (tx) => {
        await insert(tx, 'a');
        await tx.run('ROLLBACK');
        throw new Error('SQLITE_FULL: database or disk is full');
      }),
      /SQLITE_FULL/,
    );
    // A failed statement SQLite does not roll back the transaction for.
    await assert.rejects(
      store.transaction(async (tx) => {
        await insert(tx, 'b');
        await insert(tx, 'b');
      }),
      /UNIQUE/,
    );
    await store.transaction((tx) => insert(tx, 'c'));
    // Another connection sees only what was committed.
    const other = new sqlite3.Database(join(dir, AGENT_DB_FILE), sqlite3.OPEN_READONLY);
    try {
      const keys = await new Promise<string[]>((resolve, reject) =>
        other.all('SELECT "key" FROM "settings" WHERE "key" IN (\'a\', \'b\', \'c\') ORDER BY "key"', (err, rows: Array<{ key: string }>) =>
          err ? reject(err) : resolve(rows.map((r) => r.key)),
        ),
      );
      assert.deepEqual(keys, ['c'], 'the last transaction is committed, the failed ones left nothing');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the lease goes to one holder at a time and frees itself when not renewed', async () => {
  const dir = tempDir();
  try {
    const store = await openAgentStore(dir);
    const lease = new LeaseStore(store);
    assert.equal(await lease.acquire('service', 1000, 30_000), true);
    assert.equal(await lease.acquire('window', 2000, 30_000), false);
    assert.equal(await lease.acquire('service', 20_000, 30_000), true, 'renewal');
    assert.equal(await lease.acquire('window', 60_000, 30_000), true, 'expired lease is taken over');
    assert.equal(await lease.holds('service', 60_000), false);
    await lease.release('window');
    assert.equal(await lease.current(), null);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the store copies its WAL into the database file once idle, and only when asked to', async () => {
  for (const idleCheckpointMs of [20, 0]) {
    const dir = tempDir();
    try {
      const store = await openAgentStore(dir, { idleCheckpointMs });
      const [pragmas] = await store.sql.all<{ temp_store: number }>('PRAGMA temp_store');
      const [autocheckpoint] = await store.sql.all<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint');
      assert.equal(pragmas?.temp_store, 2, 'temp_store=MEMORY');
      assert.equal(autocheckpoint?.wal_autocheckpoint, 10_000);
      const [cache] = await store.sql.all<{ cache_size: number }>('PRAGMA cache_size');
      assert.equal(cache?.cache_size, -16_384, '16 MiB');
      const file = join(dir, AGENT_DB_FILE);
      const before = statSync(file).size;
      await store.transaction(async (tx) => {
        for (let i = 0; i < 50; i += 1) await tx.run(`INSERT INTO "settings" ("key", "value") VALUES (?, ?)`, [`k${i}`, 'x'.repeat(4000)]);
      });
      assert.equal(statSync(file).size, before, 'committed to the WAL only');
      // Polls (no timing assertion): the idle checkpoint grows the database file by the new pages.
      const deadline = Date.now() + 3000;
      while (idleCheckpointMs > 0 && statSync(file).size === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (idleCheckpointMs === 0) await new Promise((r) => setTimeout(r, 100));
      assert.equal(statSync(file).size > before, idleCheckpointMs > 0);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a transaction that has read still writes when another connection (the CLI, another process) commits meanwhile: the write lock is taken at BEGIN', async () => {
  const dir = tempDir();
  const service = await openAgentStore(dir, { integrityCheck: false });
  const other = await openAgentStore(dir, { integrityCheck: false, busyTimeoutMs: 5000 });
  try {
    const insert = (tx: Sql, key: string) => tx.run(`INSERT INTO "settings" ("key", "value") VALUES (?, '"x"')`, [key]);
    let otherDone = false;
    let readDone!: () => void;
    const read = new Promise<void>((resolve) => (readDone = resolve));
    const first = service.transaction(async (tx) => {
      await tx.get('SELECT count(*) AS n FROM "settings"');
      readDone();
      // Give the other connection every chance to commit between this read and the write below.
      for (let waited = 0; !otherDone && waited < 300; waited += 20) await new Promise((r) => setTimeout(r, 20));
      await insert(tx, 'from-service');
    });
    await read;
    const second = other.transaction((tx) => insert(tx, 'from-cli')).then(() => (otherDone = true));
    await Promise.all([first, second]);
    const keys = await service.sql.all<{ key: string }>(`SELECT "key" FROM "settings" WHERE "key" LIKE 'from-%' ORDER BY "key"`);
    assert.deepEqual(keys.map((k) => k.key), ['from-cli', 'from-service']);
  } finally {
    await other.close();
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
