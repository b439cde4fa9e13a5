import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { RotatingLog } from '../../sync-engine/src/adapters/log-file.js';
import { createAgentService } from '../../sync-engine/src/index.js';
import { timeStamp } from '../../sync-engine/src/ops/backup-schedule.js';
import { verifyBackup } from '../../sync-engine/src/ops/backup.js';
import { writeOperationsSettings } from '../../sync-engine/src/ops/operations-settings.js';
import { enrolledAgent, ok, platformPerSuite, samples } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

const DATASET = 'civil-status-births';

/**
 * The agent's clock, standing still between steps and moved on a second by
 * hand: each backup gets its own second, and the name a test works out for the
 * next backup is the one the agent gives it (on the wall clock a second
 * boundary may fall between the two readings).
 */
function steppedClock() {
  let at = Date.now();
  return { now: () => at, step: () => (at += 1_000) };
}

describe('"Back up now" and "Export diagnostics" through the AgentApi', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('backup.create writes backups/manual-<time>.tar.gz in the data folder, which verifyBackup accepts, while records keep being written', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    try {
      const gen = samples(61);
      for (let i = 0; i < 20; i++) await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
      let writing = true;
      let written = 20;
      const writer = (async () => {
        while (writing) {
          await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
          written += 1;
        }
      })();
      const made = await ok(agent, 'backup.create', {});
      const writtenDuring = written - 20;
      writing = false;
      await writer;

      assert.equal(dirname(made.path), join(dataDir, 'backups'));
      assert.match(made.path, /manual-\d{8}T\d{6}Z\.tar\.gz$/);
      assert.equal(made.bytes, statSync(made.path).size);
      assert.equal((statSync(made.path).mode & 0o777).toString(8), '600');
      assert.ok(Math.abs(Date.parse(made.createdAt) - Date.now()) < 60_000);
      const { manifest } = await verifyBackup(made.path);
      assert.equal(manifest.records, made.records, 'the answer says what the manifest says');
      assert.ok(made.records >= 20 && made.records <= written, `backed up ${made.records}, wrote 20..${written}`);
      assert.deepEqual(made.files.map((f) => f.name), ['agent.sqlite', 'agent-key.pem', 'agent-key.pub.pem']);
      assert.deepEqual(made.files, manifest.files.map((f) => ({ name: f.name, size: f.size })));
      assert.ok(writtenDuring > 0, 'saving records went on while the backup was made');
      assert.deepEqual(readdirSync(join(dataDir, 'backups')).filter((n) => n.endsWith('.partial')), []);
    } finally {
      await agent.close();
    }
  });

  test('manual backups rotate apart from automatic ones: the newest backupRetention of each kind are kept', async () => {
    const clock = steppedClock();
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false, service: { now: clock.now } });
    try {
      await agent.store.transaction((tx) => writeOperationsSettings(tx, { backupRetention: 2 }));
      const folder = join(dataDir, 'backups');
      mkdirSync(folder, { recursive: true });
      const autos = ['auto-20261101T020000Z.tar.gz', 'auto-20261102T020000Z.tar.gz'];
      for (const name of [...autos, 'before-upgrade.tar.gz']) writeFileSync(join(folder, name), 'x');
      const made: string[] = [];
      for (let i = 0; i < 3; i++) {
        clock.step();
        made.push((await ok(agent, 'backup.create', {})).path);
      }
      assert.equal(new Set(made).size, 3);
      assert.deepEqual(readdirSync(folder).sort(), [...autos, 'before-upgrade.tar.gz', ...made.slice(1).map((p) => p.slice(folder.length + 1))].sort());
    } finally {
      await agent.close();
    }
  });

  test('two requests at once get the same backup, and closing the service waits for it', async () => {
    const { agent } = await enrolledAgent(temp, env.p, { sync: false });
    const first = agent.call('backup.create', {});
    const second = agent.call('backup.create', {});
    const closing = agent.close();
    const [a, b] = await Promise.all([first, second]);
    await closing;
    assert.ok(a.ok && b.ok, JSON.stringify([a, b]));
    assert.equal(a.value.path, b.value.path);
    await verifyBackup(a.value.path);
  });

  test('a full disk, or a folder that cannot be written, comes back as an ApiError in both languages and leaves no half-written file', async () => {
    const clock = steppedClock();
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false, service: { now: clock.now } });
    try {
      const folder = join(dataDir, 'backups');
      mkdirSync(folder, { recursive: true });
      // The file the backup is written to first is /dev/full: every write fails with ENOSPC.
      clock.step();
      const partial = join(folder, `manual-${timeStamp(clock.now())}.tar.gz.partial`);
      symlinkSync('/dev/full', partial);
      const full = await agent.call('backup.create', {});
      assert.equal(full.ok, false);
      assert.ok(!full.ok);
      assert.equal(full.error.code, 'internal');
      assert.match(full.error.messages.vi, /Ổ đĩa của máy đã đầy/);
      assert.match(full.error.messages.en, /disk is full/);
      assert.ok(full.error.messages.en.includes(folder), 'the message names the folder');
      assert.deepEqual(readdirSync(folder), [], 'nothing half-written is left');

      const blocked = join(dataDir, 'diagnostics');
      writeFileSync(blocked, 'a file where the folder should be');
      const refused = await agent.call('diagnostics.export', {});
      assert.ok(!refused.ok);
      assert.match(refused.error.messages.vi, /không ghi được gói chẩn đoán vào .*diagnostics/);
      assert.match(refused.error.messages.en, /could not write the diagnostics bundle to .*diagnostics.*cannot be written/);
      assert.equal(readFileSync(blocked, 'utf8'), 'a file where the folder should be');
    } finally {
      await agent.close();
    }
  });

  test('diagnostics.export writes diagnostics/diagnostics-<time>.json with the doctor and database check, and no secret or personal data', async () => {
    const { agent: first, dataDir } = await enrolledAgent(temp, env.p);
    const record = samples(62).sample(DATASET, '01');
    await ok(first, 'records.put', { dataset: DATASET, data: record });
    await first.close();
    new RotatingLog({ dir: join(dataDir, 'logs') }).warn('record.rejected', { record, token: 'enrollment-token-xyz' });
    assert.equal((await cli(dataDir, ['network', 'set', '--proxy', 'http://clerk:s3cret@127.0.0.1:9', '--bypass', 'localhost'])).code, 0);

    // Ten bundles from before, and a file someone put there: the newest 10 bundles are kept, other files left alone.
    const folder = join(dataDir, 'diagnostics');
    mkdirSync(folder);
    const older = Array.from({ length: 10 }, (_, i) => `diagnostics-202601${String(i + 1).padStart(2, '0')}T000000Z.json`);
    for (const name of [...older, 'notes.txt']) writeFileSync(join(folder, name), '{}');

    const agent = await createAgentService({ dataDir, onError: () => undefined });
    try {
      const made = await ok(agent, 'diagnostics.export', {});
      assert.deepEqual(readdirSync(folder).sort(), [...older.slice(1), made.path.slice(folder.length + 1), 'notes.txt'].sort());
      assert.equal(dirname(made.path), join(dataDir, 'diagnostics'));
      assert.match(made.path, /diagnostics-\d{8}T\d{6}Z\.json$/);
      assert.equal(made.bytes, statSync(made.path).size);
      assert.equal(made.database, 'ok');
      const text = readFileSync(made.path, 'utf8');
      const bundle = JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(bundle['format'], 'ndxp-edge-agent-diagnostics');
      assert.equal(bundle['createdAt'], made.createdAt);
      assert.equal(bundle['settings'].proxy, 'http://clerk:***@127.0.0.1:9');
      assert.equal(bundle['doctor'].checks.find((c: { id: string }) => c.id === 'tcp').status, 'fail', 'the doctor ran (the proxy refuses)');
      assert.ok(bundle['status'].health && Array.isArray(bundle['syncRuns']) && bundle['syncRuns'].length >= 1);
      assert.equal(bundle['logs'].at(-1).token, '[removed]');
      const ids = Object.values(record).filter((v): v is string => typeof v === 'string' && /^\d{12}$/.test(v));
      assert.ok(ids.length > 0, 'the sample carries a personal ID');
      for (const secret of ['s3cret', 'enrollment-token-xyz', 'PRIVATE KEY', ...ids, String(record['fullName'])]) {
        assert.ok(!text.includes(secret), `${secret} is not in the bundle`);
      }
    } finally {
      await agent.close();
    }
  });
});
