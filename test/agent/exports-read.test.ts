import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createAdminApiClient, startAdminApi } from '../../sync-engine/src/admin-api/index.js';
import type { AgentApi, ApiResult, CommandOutput } from '../../sync-engine/src/api/index.js';
import { EXPORT_CHUNK_BYTES } from '../../sync-engine/src/api/record-export.js';
import { enrolledAgent, platformPerSuite } from './support/agent-fixture.js';

const BIRTHS = 'civil-status-births';
const TOKEN = 'exports-read-token-0123456789abcdefghijklmnopqrstuvwxyz';

/** Every chunk of an export, as the window and the web console fetch it. */
async function readWhole(api: AgentApi, name: string): Promise<{ bytes: Buffer; chunks: Array<CommandOutput<'exports.read'>> }> {
  const chunks: Array<CommandOutput<'exports.read'>> = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const read: ApiResult<CommandOutput<'exports.read'>> = await api.call('exports.read', { name, offset });
    assert.ok(read.ok, JSON.stringify(read));
    chunks.push(read.value);
    offset = read.value.next;
  }
  return { bytes: Buffer.concat(chunks.map((c) => Buffer.from(c.data, 'base64'))), chunks };
}

/** exports.read: an export the agent made, back to the person's own computer through the command API. */
describe('exports.read', () => {
  const env = platformPerSuite();

  test("an export read back over the admin API, in chunks of at most 2 MiB, is exactly the file's bytes", async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p);
    const server = await startAdminApi({ api: agent, port: 0, token: TOKEN });
    try {
      // The window as a client of the service, as the installed service runs it.
      const window = createAdminApiClient({ baseUrl: server.url, token: TOKEN, user: 'Lê Thị Lan' });
      const made = await window.call('records.export', { dataset: BIRTHS, lang: 'vi' });
      assert.ok(made.ok, JSON.stringify(made));
      assert.equal(made.value.name, made.value.path.split(/[\\/]/).at(-1), "the answer names the file, for exports.read");
      const small = await readWhole(window, made.value.name);
      assert.deepEqual(small.bytes, readFileSync(made.value.path));
      assert.equal(small.chunks.length, 1);
      assert.deepEqual(
        { name: small.chunks[0]!.name, size: small.chunks[0]!.size, offset: small.chunks[0]!.offset, next: small.chunks[0]!.next },
        { name: made.value.name, size: made.value.bytes, offset: 0, next: null },
      );

      // A large export (any bytes: the read does not look inside): three chunks, the last one short.
      const name = `${BIRTHS}-20261128T101500Z-2.csv`;
      const content = randomBytes(2 * EXPORT_CHUNK_BYTES + 12_345);
      writeFileSync(join(dataDir, 'exports', name), content);
      const large = await readWhole(window, name);
      assert.deepEqual(
        large.chunks.map((c) => [c.offset, Buffer.from(c.data, 'base64').length, c.next, c.size]),
        [
          [0, EXPORT_CHUNK_BYTES, EXPORT_CHUNK_BYTES, content.length],
          [EXPORT_CHUNK_BYTES, EXPORT_CHUNK_BYTES, 2 * EXPORT_CHUNK_BYTES, content.length],
          [2 * EXPORT_CHUNK_BYTES, 12_345, null, content.length],
        ],
      );
      assert.ok(large.bytes.equals(content), 'the chunks reassemble to the exact bytes');

      const past = await window.call('exports.read', { name, offset: content.length + 1 });
      assert.equal(!past.ok && past.error.code, 'invalid_input');

      // Reading is not audited (the export was): no event beyond the one records.exported.
      const actions = await agent.store.sql.all<{ action: string }>(`SELECT "action" FROM "audit_log" WHERE "action" LIKE 'records.export%' OR "action" LIKE 'exports.%'`);
      assert.deepEqual(actions.map((a) => a.action), ['records.exported']);
    } finally {
      await server.close();
      await agent.close();
    }
  });

  test('only a plain export name in exports/: a path, "..", another kind of file, a missing one are refused in both languages; nothing outside exports/ is reachable', async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p, { sync: false });
    mkdirSync(join(dataDir, 'exports'), { recursive: true });
    // A file named as an export outside exports/ (the data folder itself) and the agent's own files.
    const outside = `${BIRTHS}-20261128T101500Z.csv`;
    writeFileSync(join(dataDir, outside), 'secret\r\n');
    try {
      const refused = async (name: string) => {
        const read = await agent.call('exports.read', { name, offset: 0 });
        assert.ok(!read.ok, `${name} must be refused`);
        return read.error;
      };
      for (const name of [`../${outside}`, `..\\${outside}`, `exports/${outside}`, join(dataDir, outside), '..', 'agent.db', 'admin-token', `${BIRTHS}-20261128T101500Z.csv.tmp`, `.${BIRTHS}-20261128T101500Z.csv`]) {
        const error = await refused(name);
        assert.equal(error.code, 'invalid_input', name);
        assert.match(error.messages.vi, /không phải tên một tệp tác tử đã xuất/, name);
        assert.match(error.messages.en, /is not the name of a file the agent exported/, name);
      }
      // The name is right, but the file is not in exports/: unknown there.
      const missing = await refused(outside);
      assert.equal(missing.code, 'not_found');
      assert.match(missing.messages.vi, /Không còn tệp xuất .* Hãy bấm "Xuất Excel" hoặc "Xuất CSV" lại/);
      assert.match(missing.messages.en, /There is no export .* Press "Export Excel" or "Export CSV" again/);

      // A link in exports/ with an export's name is not followed.
      if (process.platform !== 'win32') {
        const linked = `${BIRTHS}-20261128T101501Z.csv`;
        symlinkSync(join(dataDir, outside), join(dataDir, 'exports', linked));
        assert.equal((await refused(linked)).code, 'not_found');
      }
    } finally {
      await agent.close();
    }
  });
});
