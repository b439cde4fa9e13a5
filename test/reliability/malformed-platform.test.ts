import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FileKeyStore } from '../../sync-engine/src/adapters/file-key-store.js';
import { GotPlatformClient } from '../../sync-engine/src/adapters/platform-client-got.js';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';
import { generateAgentKeyPair } from '../../sync-engine/src/protocol/signing.js';
import { localDigest } from '../../sync-engine/src/sync/digest-check.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, seedSynced, type EngineFixture } from '../engine/support/engine-fixture.js';
import { mulberry32 as seeded } from '../../national-platform/src/seed/seeded-random.js';

/**
 * The agent talks to a fake platform that answers garbage: not JSON, cut
 * JSON, wrong shapes, absurd sizes, wrong statuses. Whatever it gets, a sync
 * run never throws, the cache and outbox stay as they were, and the reason is
 * in the run's summary and its sync_runs row.
 */
const DS = 'civil-status-births';
const SEED = Number(process.env['RELIABILITY_SEED'] ?? 777);
type Endpoint = 'catalog' | 'pull' | 'push' | 'digest';
interface Garbage {
  name: string;
  endpoint: Endpoint;
  answer(res: ServerResponse): void;
}

const json = (status: number, body: unknown) => (res: ServerResponse) => raw(res, status, JSON.stringify(body));
function raw(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', date: new Date().toUTCString(), ...headers });
  res.end(body);
}

const change = { seq: 1, id: '0199a000-0000-7000-8000-000000000001', rev: 1, deleted: false, data: validBirth(), updatedAt: '2025-10-01T03:00:00Z', updatedBy: { national: true } };
const rnd = seeded(SEED);
const randomBytes = Buffer.from(Array.from({ length: 2000 }, () => Math.floor(rnd() * 256)));

const GARBAGE: Garbage[] = [
  { name: 'an HTML error page with 200', endpoint: 'catalog', answer: (res) => raw(res, 200, '<html><body>Gateway</body></html>', { 'content-type': 'text/html' }) },
  { name: 'an empty body', endpoint: 'catalog', answer: (res) => raw(res, 200, '') },
  { name: 'JSON null', endpoint: 'catalog', answer: json(200, null) },
  { name: 'datasets of the wrong type', endpoint: 'catalog', answer: json(200, { datasets: 'all of them' }) },
  { name: 'random bytes', endpoint: 'pull', answer: (res) => raw(res, 200, randomBytes) },
  { name: 'JSON cut in the middle', endpoint: 'pull', answer: (res) => raw(res, 200, JSON.stringify({ changes: [change], cursor: 'c', hasMore: false }).slice(0, 80)) },
  {
    name: 'a body shorter than its Content-Length, then the connection closes',
    endpoint: 'pull',
    answer: (res) => {
      const body = JSON.stringify({ changes: [change], cursor: 'c', hasMore: false });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length + 500) });
      res.write(body, () => res.socket?.destroy());
    },
  },
  { name: 'a change with a string seq and no id', endpoint: 'pull', answer: json(200, { changes: [{ ...change, seq: 'one', id: undefined }], cursor: 'c', hasMore: false }) },
  { name: 'a live change without data', endpoint: 'pull', answer: json(200, { changes: [{ ...change, data: undefined }], cursor: 'c', hasMore: false }) },
  { name: 'a page without a cursor', endpoint: 'pull', answer: json(200, { changes: [change], hasMore: false }) },
  { name: 'a record id that is not a UUID', endpoint: 'pull', answer: json(200, { changes: [{ ...change, id: "'; DROP TABLE records; --" }], cursor: 'c', hasMore: false }) },
  { name: 'a __proto__ key in the data', endpoint: 'pull', answer: (res) => raw(res, 200, `{"changes":[{"seq":1,"id":"${change.id}","rev":1,"deleted":false,"data":{"__proto__":{"polluted":true}},"updatedAt":"2025-10-01T03:00:00Z","updatedBy":{"national":true}}],"cursor":"c","hasMore":false}`) },
  {
    name: 'a huge page (20,000 broken changes, ~2 MB)',
    endpoint: 'pull',
    answer: json(200, { changes: Array.from({ length: 20_000 }, (_, i) => ({ seq: i + 1, id: `x${i}`, rev: -1, deleted: 'no', data: 'x'.repeat(50) })), cursor: 'c', hasMore: true }),
  },
  { name: 'deeply nested JSON', endpoint: 'pull', answer: (res) => raw(res, 200, `${'['.repeat(50_000)}${']'.repeat(50_000)}`) },
  { name: 'a 500 with an HTML body', endpoint: 'pull', answer: (res) => raw(res, 500, '<h1>Internal Server Error</h1>', { 'content-type': 'text/html' }) },
  { name: 'one result for two mutations', endpoint: 'push', answer: json(200, { results: [{ mutationId: 'x', status: 'applied', rev: 1, seq: 1 }] }) },
  { name: 'a result with an unknown status', endpoint: 'push', answer: json(200, { results: [{ mutationId: 'x', status: 'probably', rev: 1, seq: 1 }, { mutationId: 'y', status: 'applied' }] }) },
  { name: 'results for other mutation ids', endpoint: 'push', answer: json(200, { results: [{ mutationId: '0199a000-0000-7000-8000-00000000000a', status: 'applied', rev: 1, seq: 1 }, { mutationId: '0199a000-0000-7000-8000-00000000000b', status: 'applied', rev: 1, seq: 2 }] }) },
  { name: 'a digest of the wrong type', endpoint: 'digest', answer: json(200, { count: 'many', digest: 42 }) },
];

interface Subject {
  fixture: EngineFixture;
  run: SyncRun;
  before: unknown;
  pending: number;
}

async function stateOf(agent: EngineFixture) {
  return {
    records: await agent.store.sql.all('SELECT "dataset", "id", "rev", "data", "state", "base_data" FROM "records" ORDER BY "id"'),
    outbox: await agent.store.sql.all('SELECT "mutation_id", "record_id", "op", "base_rev", "data" FROM "outbox" ORDER BY "seq"'),
    conflicts: await agent.store.sql.all('SELECT "id" FROM "conflicts"'),
  };
}

describe('the agent fed malformed platform answers', () => {
  let server: Server;
  let current: Garbage | null = null;
  /** One agent with two changes waiting (catalog and push garbage), one with none (pull and digest garbage, which need a push to pass). */
  let busy: Subject;
  let clean: Subject;

  async function subject(url: string, pendingWrites: boolean): Promise<Subject> {
    const fixture = await openEngineFixture();
    const keyStore = new FileKeyStore(fixture.dir);
    await keyStore.save(generateAgentKeyPair());
    const run = new SyncRun({ ctx: fixture.ctx, client: new GotPlatformClient({ baseUrl: url, agentId: '0199a000-0000-7000-8000-0000000000ff', keyStore, timeoutMs: 5000 }) });
    for (let i = 0; i < 3; i += 1) await seedSynced(fixture, DS, `0199a000-0000-7000-8000-00000000010${i}`, validBirth({ personalId: `00130101000${i}` }), 2);
    if (pendingWrites) {
      const first = await fixture.reads.get(DS, '0199a000-0000-7000-8000-000000000100');
      await fixture.writes.put(DS, { ...first!.data, notes: 'sửa tại xã' }, { id: first!.id });
      await fixture.writes.put(DS, validBirth({ personalId: '001301019999' }));
    }
    return { fixture, run, before: await stateOf(fixture), pending: pendingWrites ? 2 : 0 };
  }

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const path = req.url ?? '';
        const endpoint: Endpoint = path === '/v1/datasets' ? 'catalog' : path.includes('/changes') ? 'pull' : path === '/v1/mutations' ? 'push' : 'digest';
        if (current && current.endpoint === endpoint) return current.answer(res);
        if (endpoint === 'catalog') return json(200, { datasets: DATASETS })(res);
        if (endpoint === 'pull') return json(200, { changes: [], cursor: 'c-end', hasMore: false })(res);
        if (endpoint === 'push') return raw(res, 503, JSON.stringify({ error: 'maintenance', message: 'down' }), { 'retry-after': '5' });
        // The digest the clean agent holds: a good answer everywhere but where the test injects garbage.
        const dataset = decodeURIComponent(path.split('/')[3] ?? '');
        void localDigest(clean.fixture.store.sql, dataset).then((d) => json(200, { ...d, cursor: 'c-end' })(res));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    busy = await subject(url, true);
    clean = await subject(url, false);
  });

  after(async () => {
    await busy?.fixture.close();
    await clean?.fixture.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  test('without garbage the clean agent’s run is ok (the fake platform is otherwise well-behaved)', async () => {
    const summary = await clean.run.run('test');
    assert.equal(summary.status, 'ok', JSON.stringify(summary.errors));
    assert.deepEqual(await stateOf(clean.fixture), clean.before);
  });

  for (const garbage of GARBAGE) {
    test(`${garbage.endpoint}: ${garbage.name} — the run reports it, nothing in the cache or outbox changes`, async () => {
      const agent = garbage.endpoint === 'catalog' || garbage.endpoint === 'push' ? busy : clean;
      current = garbage;
      const summary = await agent.run.run('test');
      current = null;
      assert.notEqual(summary.status, 'ok', `${garbage.name} must not pass as a good answer`);
      const error = summary.errors.find((e) => e.phase === garbage.endpoint);
      assert.ok(error, `an error of phase ${garbage.endpoint}: ${JSON.stringify(summary.errors)}`);
      assert.ok(['malformed', 'network', 'http'].includes(error.error.kind), `a typed error, got ${error.error.kind}: ${error.error.message}`);
      const row = await agent.fixture.store.sql.get<{ status: string; error: string | null }>('SELECT "status", "error" FROM "sync_runs" WHERE "id" = ?', [summary.runId]);
      assert.equal(row?.status, summary.status);
      assert.ok(row?.error && JSON.parse(row.error).error.message, 'the reason is stored with the run for the history and health');
      assert.deepEqual(await stateOf(agent.fixture), agent.before, 'records, outbox and conflicts unchanged');
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'no prototype pollution');
      // After a push whose answer was garbage the entries may be in flight; they go again under the same ids.
      const stats = await agent.fixture.outbox.stats();
      assert.equal(stats.queued + stats.inFlight, agent.pending, 'the local changes still wait');
      assert.equal(stats.quarantined, 0);
    });
  }
});
