import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_DB_FILE, openAgentStore, type AgentStore } from '../../sync-engine/src/store/agent-store.js';
import { forgetCleanClose } from '../../sync-engine/src/store/clean-close.js';

/**
 * Damages the agent's database in `dataDir` on disk: grows it with a filler
 * table, checkpoints the WAL into the file, then scribbles over every third
 * page after the first two (the header survives): a damaged b-tree. Returns the
 * file's path.
 */
export async function damageStoreFile(dataDir: string): Promise<string> {
  const { file, size, pageSize } = await prepare(dataDir, async (store) => {
    await store.transaction(async (tx) => {
      await tx.run('CREATE TABLE "filler" ("x" TEXT)');
      for (let i = 0; i < 200; i += 1) await tx.run('INSERT INTO "filler" ("x") VALUES (?)', ['x'.repeat(400)]);
    });
  });
  const pages: number[] = [];
  for (let page = 2; page * pageSize < size; page += 3) pages.push(page);
  scribble(file, pageSize, pages);
  return file;
}

/**
 * Damages only `table`'s root page (for a small table, its only page): the
 * store still opens without its quick_check (the schema and the migrations
 * table are whole), and the first read of `table` fails with SQLITE_CORRUPT.
 * Returns the file's path.
 */
export async function damageStoreTable(dataDir: string, table: string): Promise<string> {
  let root = 0;
  const { file, pageSize } = await prepare(dataDir, async (store) => {
    const row = await store.sql.get<{ rootpage: number }>(`SELECT "rootpage" FROM "sqlite_master" WHERE "type" = 'table' AND "name" = ?`, [table]);
    if (!row) throw new Error(`no table ${table} in the agent store`);
    root = row.rootpage;
  });
  // SQLite numbers pages from 1.
  scribble(file, pageSize, [root - 1]);
  return file;
}

/**
 * Damages only the full-text index (records_fts): indexes a few search texts,
 * then zeroes the index's last leaf inside its blob in records_fts_data. Every
 * page stays a whole b-tree page, so the read-only quick_check passes; the
 * FTS5 'integrity-check' finds it (SQLITE_CORRUPT). Returns the file's path.
 */
export async function damageFullTextIndex(dataDir: string): Promise<string> {
  const { file } = await prepare(dataDir, async (store) => {
    await store.transaction(async (tx) => {
      for (const [rid, text] of [[1, 'nguyen van an'], [2, 'tran thi binh'], [3, 'le van cuong']] as const) {
        await tx.run('INSERT INTO "records_fts" (rowid, search_text) VALUES (?, ?)', [rid, text]);
      }
    });
    await store.transaction((tx) => tx.run('UPDATE "records_fts_data" SET "block" = zeroblob(length("block")) WHERE "id" = (SELECT max("id") FROM "records_fts_data")'));
  });
  // The damage stands for one SQLite did not make (a disk's), which no clean close vouches for:
  // the store wrote it itself, so its close's note would say the file is as it was checked.
  forgetCleanClose(file);
  return file;
}

/** Opens the store, lets `before` act on it, checkpoints the WAL into the file and closes it. */
async function prepare(dataDir: string, before: (store: AgentStore) => Promise<void>): Promise<{ file: string; size: number; pageSize: number }> {
  const store = await openAgentStore(dataDir);
  await before(store);
  const pageSize = (await store.sql.get<{ page_size: number }>('PRAGMA page_size'))!.page_size;
  await store.sql.run('PRAGMA wal_checkpoint(TRUNCATE)');
  await store.close();
  const file = join(dataDir, AGENT_DB_FILE);
  return { file, size: statSync(file).size, pageSize };
}

/** Overwrites the given pages (numbered from 0) with a filler byte. */
function scribble(file: string, pageSize: number, pages: readonly number[]): void {
  const fd = openSync(file, 'r+');
  for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
  closeSync(fd);
}
