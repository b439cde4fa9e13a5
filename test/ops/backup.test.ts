import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/index.js';
import { pruneAutomaticBackups, startAutomaticBackups } from '../../sync-engine/src/ops/backup-schedule.js';
import { readTarGz, writeTarGz } from '../../sync-engine/src/ops/tar-archive.js';
import { enrolledAgent, ok, platformPerSuite, samples, TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

const DATASET = 'civil-status-births';

/** Every file of a folder with its SHA-256, to prove a refused restore changed nothing. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isFile()) out[name] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

async function recordCount(dataDir: string): Promise<number> {
  const agent = await createAgentService({ dataDir, onError: () => undefined });
  try {
    return (await ok(agent, 'records.list', { dataset: DATASET, limit: 1 })).total;
  } finally {
    await agent.close();
  }
}

describe('backup and restore', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('a backup taken while the service writes records is consistent and restores a count between before and after', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    const gen = samples(31);
    for (let i = 0; i < 20; i++) await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
    const before = 20;
    let writing = true;
    let written = before;
    const writer = (async () => {
      while (writing) {
        await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
        written += 1;
      }
    })();
    const file = join(temp.make('backups-'), 'office.tar.gz');
    const result = await cli(dataDir, ['--json', 'backup', file]);
    writing = false;
    await writer;
    await agent.close();
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.json.manifest.files.map((f: { name: string }) => f.name), ['agent.sqlite', 'agent-key.pem', 'agent-key.pub.pem']);
    assert.equal((await cli(dataDir, ['verify-backup', file])).code, 0);

    const restoredDir = temp.make('restored-');
    const restored = await cli(restoredDir, ['--json', 'restore', file]);
    assert.equal(restored.code, 0, restored.stderr + restored.stdout);
    assert.equal(restored.json.previous, null);
    const count = await recordCount(restoredDir);
    assert.ok(count >= before && count <= written, `restored ${count}, wrote ${before}..${written}`);
    assert.ok(written > before, 'the writer kept writing during the backup');
  });

  test('restore brings back the records, settings and key as backed up, and keeps the replaced files in pre-restore-*', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    const gen = samples(32);
    for (let i = 0; i < 5; i++) await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
    const file = join(temp.make('backups-'), 'b.tar.gz');
    assert.equal((await cli(dataDir, ['backup', file])).code, 0);
    for (let i = 0; i < 7; i++) await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
    await ok(agent, 'settings.update', { schedule: '*/30 * * * *' });
    await agent.close();
    const key = readFileSync(join(dataDir, 'agent-key.pem'));

    const restored = await cli(dataDir, ['--json', 'restore', file]);
    assert.equal(restored.code, 0, restored.stderr + restored.stdout);
    assert.equal(await recordCount(dataDir), 5);
    assert.deepEqual(readFileSync(join(dataDir, 'agent-key.pem')), key);
    assert.equal((statSync(join(dataDir, 'agent-key.pem')).mode & 0o777).toString(8), '600');
    const settings = await cli(dataDir, ['--json', 'status']);
    assert.equal(settings.code, 0);
    const previous = restored.json.previous as string;
    assert.match(previous, /pre-restore-/);
    assert.ok(existsSync(join(previous, 'agent.sqlite')));
    assert.equal(await recordCount(previous), 12, 'the replaced data is kept whole');
  });

  test('a damaged backup (bad gzip, bad checksum, corrupt database) is refused and the data folder is left byte for byte as it was', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    await ok(agent, 'records.put', { dataset: DATASET, data: samples(33).sample(DATASET, '01') });
    const dir = temp.make('backups-');
    const good = join(dir, 'good.tar.gz');
    assert.equal((await cli(dataDir, ['backup', good])).code, 0);
    await agent.close();
    const entries = readTarGz(readFileSync(good));

    const truncated = join(dir, 'truncated.tar.gz');
    writeFileSync(truncated, readFileSync(good).subarray(0, 200));
    const tampered = join(dir, 'tampered.tar.gz');
    const db = entries.find((e) => e.name === 'agent.sqlite')!;
    const flipped = Buffer.from(db.data);
    flipped[flipped.length - 100] = (flipped[flipped.length - 100]! + 1) % 256;
    writeFileSync(tampered, writeTarGz(entries.map((e) => (e.name === 'agent.sqlite' ? { name: e.name, data: flipped } : e)), new Date()));
    // A database damaged BEFORE the backup: checksums match, integrity_check does not.
    const corrupt = Buffer.from(db.data);
    corrupt.fill(0x55, 4096, 8192);
    const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString()) as { files: { name: string; size: number; sha256: string }[] };
    manifest.files = manifest.files.map((f) => (f.name === 'agent.sqlite' ? { ...f, sha256: createHash('sha256').update(corrupt).digest('hex') } : f));
    const corruptFile = join(dir, 'corrupt.tar.gz');
    writeFileSync(
      corruptFile,
      writeTarGz(entries.map((e) => (e.name === 'agent.sqlite' ? { name: e.name, data: corrupt } : e.name === 'manifest.json' ? { name: e.name, data: Buffer.from(JSON.stringify(manifest)) } : e)), new Date()),
    );

    const fingerprintBefore = fingerprint(dataDir);
    for (const [file, reason] of [
      [truncated, /Cannot read the backup/],
      [tampered, /SHA-256/],
      [corruptFile, /integrity check/],
    ] as const) {
      const result = await cli(dataDir, ['--lang', 'en', 'restore', file]);
      assert.equal(result.code, 1, `${file}: ${result.stderr}`);
      assert.match(result.stderr, reason);
      assert.ok(result.stderr.includes(`Nothing in ${dataDir} was changed.`), result.stderr);
      assert.deepEqual(fingerprint(dataDir), fingerprintBefore, `${file} left the folder unchanged`);
      assert.ok(!readdirSync(dataDir).some((n) => n.startsWith('pre-restore-') || n.startsWith('.restore-')));
    }
  });

  test('a backup path that is no file (mistyped, a folder) is said as such, not as a damaged backup, in both languages, exit 1, nothing changed', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    await agent.close();
    const dir = temp.make('Sao lưu xã-');
    const missing = join(dir, 'bản-sao-không-có.tar.gz');
    const fingerprintBefore = fingerprint(dataDir);
    for (const [file, cause] of [
      [missing, /no such folder or file: check the path \(ENOENT\)/],
      [dir, /that is a folder, not a file: give a file name \(EISDIR\)/],
    ] as const) {
      const restore = await cli(dataDir, ['--lang', 'en', 'restore', file]);
      assert.equal(restore.code, 1, restore.stderr);
      assert.match(restore.stderr, cause);
      assert.ok(restore.stderr.startsWith(`Cannot use ${file}: `), restore.stderr);
      assert.doesNotMatch(restore.stderr, /damaged|not a backup/);
      assert.ok(restore.stderr.includes(`Nothing in ${dataDir} was changed.`), restore.stderr);
      const verify = await cli(dataDir, ['--json', 'verify-backup', file]);
      assert.equal(verify.code, 1);
      assert.equal(verify.json.error.code, 'invalid_input');
      assert.ok(verify.json.error.messages.vi.startsWith(`Không dùng được ${file}: `), verify.json.error.messages.vi);
      assert.deepEqual(fingerprint(dataDir), fingerprintBefore);
    }
  });

  test('restore is refused while a running service holds the lease, leaving the folder unchanged', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    const file = join(temp.make('backups-'), 'b.tar.gz');
    assert.equal((await cli(dataDir, ['backup', file])).code, 0);
    await agent.close();
    const service = await createAgentService({ dataDir, onError: () => undefined });
    try {
      await service.start({ background: true, syncAtStart: false });
      assert.equal(service.holdsLease(), true);
      const before = fingerprint(dataDir);
      delete before['agent.sqlite-wal'];
      delete before['agent.sqlite-shm'];
      delete before['agent.sqlite'];
      const result = await cli(dataDir, ['--lang', 'en', 'restore', file]);
      assert.equal(result.code, 4);
      assert.match(result.stderr, /stop the service/);
      // Named as `status` names it (computer and process), not by the lease's raw id with its random part.
      assert.ok(result.stderr.includes(`(on ${hostname()}, process ${process.pid})`), result.stderr);
      assert.ok(!result.stderr.includes(`${hostname()}/${process.pid}/`), result.stderr);
      const vi = await cli(dataDir, ['restore', file]);
      assert.equal(vi.code, 4);
      assert.ok(vi.stderr.includes(`(máy ${hostname()}, tiến trình ${process.pid})`), vi.stderr);
      assert.ok(!readdirSync(dataDir).some((n) => n.startsWith('pre-restore-')));
    } finally {
      await service.close();
    }
  });

  test('automatic backups keep the newest N and leave hand-made files alone', () => {
    const folder = temp.make('auto-');
    const names = ['auto-20260101T020000Z.tar.gz', 'auto-20260102T020000Z.tar.gz', 'auto-20260103T020000Z.tar.gz', 'manual.tar.gz'];
    for (const n of names) writeFileSync(join(folder, n), 'x');
    assert.deepEqual(pruneAutomaticBackups(folder, 2), ['auto-20260101T020000Z.tar.gz']);
    assert.deepEqual(readdirSync(folder).sort(), names.slice(1));
  });
});

describe('automatic backups', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('each cron tick writes backups/auto-<time>.tar.gz and only the newest backupRetention are kept', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    await agent.close();
    let tick: () => void = () => undefined;
    const cron = { problems: () => [], start: (_expression: string, onTick: () => void) => ((tick = onTick), { stop: () => undefined, nextRuns: () => [] }) };
    let t = Date.parse('2026-11-20T02:00:00Z');
    const made: string[] = [];
    let finished: () => void = () => undefined;
    const task = startAutomaticBackups({ dataDir, schedule: '0 2 * * *', retention: 2, cron, now: () => t, agentVersion: '0.1.0', onDone: (file) => (made.push(file), finished()), onError: (e) => assert.fail(String(e)) });
    for (let day = 0; day < 3; day++) {
      const done = new Promise<void>((resolve) => (finished = resolve));
      tick();
      await done;
      t += 86_400_000;
    }
    task.stop();
    assert.equal(made.length, 3);
    assert.deepEqual(readdirSync(join(dataDir, 'backups')).sort(), ['auto-20261121T020000Z.tar.gz', 'auto-20261122T020000Z.tar.gz']);
    assert.equal((await cli(dataDir, ['verify-backup', join(dataDir, 'backups', 'auto-20261122T020000Z.tar.gz')])).code, 0);
  });
});

describe('restore over a damaged data folder', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a data folder whose database is garbage is restored from a good backup', async () => {
    const source = temp.make('agent-');
    assert.equal((await cli(source, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-BA-DINH'])).code, 0);
    const file = join(temp.make('backups-'), 'b.tar.gz');
    assert.equal((await cli(source, ['backup', file])).code, 0);
    const broken = temp.make('broken-');
    writeFileSync(join(broken, 'agent.sqlite'), Buffer.alloc(8192, 0x42));
    const restored = await cli(broken, ['--json', 'restore', file]);
    assert.equal(restored.code, 0, restored.stderr + restored.stdout);
    const status = await cli(broken, ['--json', 'status']);
    assert.equal(status.json.siteCode, 'HN-BA-DINH');
  });
});
