import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';
import { damageStoreFile, damageStoreTable } from '../support/damage-store.js';
import { holdWrite } from '../support/hold-write.js';
import { TempDirs } from './support/agent-fixture.js';
import { cli, type CliResult } from './support/cli-runner.js';

const temp = new TempDirs();
after(() => temp.cleanup());

/**
 * What happens to the folder's data file before the command runs:
 * - damaged: pages scribbled over, the open fails (damageStoreFile);
 * - damaged-late: only the settings table's page, so a store opened without
 *   its check opens, and the first read (or the backup's VACUUM INTO) fails;
 * - busy: another agent (as the window: the lease's live holder) keeps the
 *   write lock past the 5 s a write waits for it.
 */
type Condition = 'damaged' | 'damaged-late' | 'busy';

/** The commands that open or read the data file themselves, outside an AgentService (they crashed with a stack trace). */
const CASES: Array<{ args: (dir: string) => string[]; conditions: Condition[]; leaves?: (dir: string) => string }> = [
  { args: () => ['network', 'show'], conditions: ['damaged', 'damaged-late'] },
  { args: () => ['network', 'set', '--bypass', 'printer.local'], conditions: ['damaged', 'damaged-late', 'busy'] },
  { args: (dir) => ['backup', join(dir, 'b.tar.gz')], conditions: ['damaged', 'damaged-late'], leaves: (dir) => join(dir, 'b.tar.gz') },
  { args: (dir) => ['provision', join(dir, 'provisioning.json')], conditions: ['damaged', 'damaged-late', 'busy'] },
];

const HOLDER = { vi: `trên máy ${hostname()} (tiến trình ${process.pid})`, en: `on ${hostname()} (process ${process.pid})` };

for (const { args, conditions, leaves } of CASES) {
  for (const condition of conditions) {
    test(`edge-agent ${args('DIR').join(' ')} on a ${condition} data file says what run says (exit 4), not a stack trace`, async () => {
      const home = temp.make('cli-store-refusal-');
      const dir = temp.make('cli-store-refusal-out-');
      writeFileSync(join(dir, 'provisioning.json'), JSON.stringify({ platformUrl: 'http://127.0.0.1:9', siteCode: 'HN-001', token: 'x'.repeat(20), installService: false }));
      assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
      let result: CliResult;
      if (condition === 'busy') {
        const window = await createAgentService({ dataDir: home, onError: () => undefined });
        try {
          await window.start({ background: true, syncAtStart: false });
          const write = await holdWrite(window.store, 'refusal-test');
          try {
            result = await cli(home, ['--json', ...args(dir)]);
          } finally {
            await write.release();
          }
        } finally {
          await window.close();
        }
      } else {
        const file = condition === 'damaged' ? await damageStoreFile(home) : await damageStoreTable(home, 'settings');
        result = await cli(home, ['--json', ...args(dir)]);
        assert.equal(result.json?.error?.code, 'internal', result.stdout);
        const { vi, en } = result.json.error.messages as { vi: string; en: string };
        for (const part of [`Tệp dữ liệu của tác tử ${file} bị hỏng; đừng xóa tệp này`, `"edge-agent --home ${home} restore <tệp sao lưu>"`, `Bản sao lưu tự động nằm trong ${join(home, 'backups')}`]) {
          assert.ok(vi.includes(part), `${part} in: ${vi}`);
        }
        for (const part of [`The agent's data file ${file} is damaged; do not delete it`, `"edge-agent --home ${home} restore <backup file>"`]) assert.ok(en.includes(part), `${part} in: ${en}`);
      }
      assert.equal(result.code, 4, result.stdout + result.stderr);
      if (condition === 'busy') {
        assert.equal(result.json?.error?.code, 'busy', result.stdout);
        assert.ok(result.json.error.messages.vi.includes(`Thư mục dữ liệu ${home} đang được một chương trình khác của tác tử dùng ${HOLDER.vi}; dữ liệu không bị hỏng`), result.json.error.messages.vi);
        assert.ok(result.json.error.messages.en.includes(`The data folder ${home} is in use by another agent program ${HOLDER.en}; the data is not damaged`), result.json.error.messages.en);
      }
      assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at |StoreCorruptedError|StoreBusyError|Không mở được dữ liệu/);
      if (leaves) assert.equal(existsSync(leaves(dir)), false, 'no backup file is left');
    });
  }
}

test('edge-agent backup FILE whose audit event waits past the busy timeout says the folder is in use and no backup was kept (exit 4)', async () => {
  const home = temp.make('cli-store-refusal-');
  const file = join(temp.make('cli-store-refusal-out-'), 'b.tar.gz');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const window = await createAgentService({ dataDir: home, onError: () => undefined });
  let vi: CliResult;
  let en: CliResult;
  try {
    await window.start({ background: true, syncAtStart: false });
    // The copy reads a snapshot beside the held write; the audit event's write then waits for it.
    const write = await holdWrite(window.store, 'backup-busy');
    try {
      vi = await cli(home, ['backup', file]);
      en = await cli(home, ['--lang', 'en', '--json', 'backup', file]);
    } finally {
      await write.release();
    }
  } finally {
    await window.close();
  }
  assert.equal(vi.code, 4, vi.stdout + vi.stderr);
  assert.ok(vi.stderr.includes(`Thư mục dữ liệu ${home} đang được một chương trình khác của tác tử dùng ${HOLDER.vi}`), vi.stderr);
  assert.ok(vi.stderr.includes(`không giữ bản sao lưu nào (đã xóa ${file})`), vi.stderr);
  assert.match(vi.stderr, /Dữ liệu không bị hỏng/);
  assert.equal(en.code, 4, en.stdout + en.stderr);
  assert.equal(en.json?.error?.code, 'busy', en.stdout);
  assert.ok(en.json.error.messages.en.includes(`The data folder ${home} is in use by another agent program ${HOLDER.en}`), en.json.error.messages.en);
  assert.ok(en.json.error.messages.en.includes(`no backup was kept (${file} was removed)`), en.json.error.messages.en);
  assert.doesNotMatch(vi.stderr + en.stdout, /database is locked|SQLITE_BUSY|Could not write the audit log/);
  assert.equal(existsSync(file), false, 'no backup file is left');
});
