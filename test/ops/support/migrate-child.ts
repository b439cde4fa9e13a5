/**
 * An upgrade killed half-way, for test/ops/upgrade-old-build.test.ts: opens the
 * store in argv[2] with this build's migrations and one more at the end, which
 * writes (a table, a row in the outbox) and then waits forever. Once that
 * migration has written, the child says `migrating` on stdout; the parent kills
 * it with SIGKILL there.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { openAgentStore } from '../../../sync-engine/src/store/agent-store.js';
import { MIGRATIONS } from '../../../sync-engine/src/store/migrations/index.js';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: migrate-child dataDir');

class Endless1799999999999 implements MigrationInterface {
  name = 'Endless1799999999999';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE "half_way" ("id" INTEGER PRIMARY KEY)');
    await q.query(`UPDATE "outbox" SET "attempts" = "attempts" + 100`);
    process.stdout.write('migrating\n');
    // Kept alive (a bare pending promise would let node exit) until the parent kills it.
    await new Promise(() => setInterval(() => undefined, 60_000));
  }
  async down(): Promise<void> {}
}

await openAgentStore(dataDir, { migrations: [...MIGRATIONS, Endless1799999999999] });
