import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_DB_FILE, openAgentStore } from '../../sync-engine/src/store/agent-store.js';

/**
 * Damages the agent's database in `dataDir` on disk: grows it with a filler
 * table, checkpoints the WAL into the file, then scribbles over every third
 * page after the first two (the header survives): a damaged b-tree. Returns the
 * file's path.
 */
export async function damageStoreFile(dataDir: string): Promise<string> {
  const store = await openAgentStore(dataDir);
  await store.transaction(async (tx) => {
    await tx.run('CREATE TABLE "filler" ("x" TEXT)');
    for (let i = 0; i < 200; i += 1) await tx.run('INSERT INTO "filler" ("x") VALUES (?)', ['x'.repeat(400)]);
  });
  await store.sql.run('PRAGMA wal_checkpoint(TRUNCATE)');
  await store.close();
  const file = join(dataDir, AGENT_DB_FILE);
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  for (let page = 2; page * 4096 < size; page += 3) writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, page * 4096);
  closeSync(fd);
  return file;
}
