/**
 * The agent as a child process for the crash test: enrolls once, then writes
 * records and syncs in a loop until the data folder holds `total` records.
 * The parent kills it with SIGKILL at random moments and starts it again.
 *
 * stdout protocol, one line each: `ready` (enrolled, working), `W <id>` (a
 * write committed: the put call returned), `S <status>` (a sync finished),
 * `all` (everything written and synced), `done` (about to exit).
 *
 * argv: dataDir platformUrl siteCode token recordsFile (a JSON array of record data, written in order)
 * [hold]. With `hold` the child never exits by itself: once everything is
 * written and synced it keeps syncing until it is killed, so the parent kills
 * it as many times as it set out to, however fast the machine.
 */
import { readFileSync } from 'node:fs';
import { createAgentService } from '../../../sync-engine/src/index.js';

const [dataDir, platformUrl, siteCode, token, recordsFile, hold] = process.argv.slice(2);
if (!dataDir || !platformUrl || !siteCode || !token || !recordsFile) throw new Error('usage: crash-child dataDir platformUrl siteCode token recordsFile');
const records = JSON.parse(readFileSync(recordsFile, 'utf8')) as Record<string, unknown>[];
const total = records.length;
const DATASET = 'civil-status-births';
const BATCH = 60;
const say = (line: string) => process.stdout.write(line + '\n');

const agent = await createAgentService({ dataDir, onError: () => undefined });
const call = async <T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; messages: { en: string } } }>): Promise<T> => {
  const result = await promise;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.messages.en}`);
  return result.value;
};

const status = await call(agent.call('status.get', {}));
if (status.enrollment !== 'active') {
  await call(agent.call('settings.update', { platformUrl, siteCode }));
  await call(agent.call('enrollment.enroll', { token }));
}
say('ready');

/** Records this folder holds of the dataset, whatever their state: the next write's number. */
async function written(): Promise<number> {
  const [row] = await agent.store.sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM "records" WHERE "dataset" = ?', [DATASET]);
  return row?.n ?? 0;
}

for (;;) {
  let n = await written();
  if (n >= total) break;
  // The n-th record is the next to write: a killed run resumes exactly where its last commit left off.
  for (let i = 0; i < BATCH && n < total; i += 1, n += 1) {
    const put = await call(agent.call('records.put', { dataset: DATASET, data: records[n] as Record<string, unknown> }));
    say(`W ${put.id}`);
  }
  const sync = await call(agent.call('sync.now', {}));
  say(`S ${sync.run?.status ?? 'none'}`);
}
for (let round = 0; round < 5; round += 1) {
  const sync = await call(agent.call('sync.now', {}));
  say(`S ${sync.run?.status ?? 'none'}`);
  const now = await call(agent.call('status.get', {}));
  if (sync.run?.status === 'ok' && now.outbox.depth === 0) break;
}
say('all');
while (hold === 'hold') {
  const sync = await call(agent.call('sync.now', {}));
  say(`S ${sync.run?.status ?? 'none'}`);
}
say('done');
await agent.close();
