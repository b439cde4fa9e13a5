import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AuditLog, type AuditEvent } from '../../sync-engine/src/audit/audit-log.js';
import { createAgentService } from '../../sync-engine/src/index.js';
import { automaticBackup } from '../../sync-engine/src/ops/backup-schedule.js';
import { verifyBackup } from '../../sync-engine/src/ops/backup.js';
import { appendAuditEventToFolder } from '../../sync-engine/src/ops/maintenance-audit.js';
import { localUserName } from '../../sync-engine/src/service/local-user.js';
import { openAgentStore } from '../../sync-engine/src/store/agent-store.js';
import { enrolledAgent, platformPerSuite } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

/** The store's audit events, oldest first, and whether the chain still verifies. */
async function auditOf(dataDir: string): Promise<{ events: AuditEvent[]; intact: boolean }> {
  const store = await openAgentStore(dataDir, { integrityCheck: false });
  try {
    const log = new AuditLog();
    const events = (await log.list(store.sql, { limit: 1000 })).sort((a, b) => a.seq - b.seq);
    return { events, intact: (await log.verify(store.sql)).ok };
  } finally {
    await store.close();
  }
}

/** Makes the store refuse one audit action, as a full disk or a locked file would refuse the append. */
async function refuseAuditAction(dataDir: string, action: string): Promise<void> {
  const store = await openAgentStore(dataDir, { integrityCheck: false });
  try {
    await store.sql.run(
      `CREATE TRIGGER "refuse_${action.replace('.', '_')}" BEFORE INSERT ON "audit_log" WHEN NEW."action" = '${action}' BEGIN SELECT RAISE(ABORT, 'audit refused'); END`,
    );
  } finally {
    await store.close();
  }
}

describe('copies of the data in the audit log: who made a backup or a diagnostics bundle, and restores', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('"Back up now" and "Export diagnostics" from the window are logged with the person who asked, the file and the database checksum', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    try {
      const backup = await agent.call('backup.create', {}, { user: 'chị Lan' });
      assert.ok(backup.ok, JSON.stringify(backup));
      const bundle = await agent.call('diagnostics.export', {}, { user: 'anh Minh' });
      assert.ok(bundle.ok, JSON.stringify(bundle));
      const { manifest } = await verifyBackup(backup.value.path);
      const { events, intact } = await auditOf(dataDir);
      const made = events.filter((e) => e.action === 'backup.made');
      assert.equal(made.length, 1);
      assert.equal(made[0]!.actor, 'chị Lan');
      assert.deepEqual(made[0]!.details, {
        origin: 'window',
        file: backup.value.path,
        bytes: backup.value.bytes,
        createdAt: manifest.createdAt,
        records: manifest.records,
        databaseSha256: manifest.files.find((f) => f.name === 'agent.sqlite')!.sha256,
      });
      const exported = events.filter((e) => e.action === 'diagnostics.exported');
      assert.equal(exported.length, 1);
      assert.equal(exported[0]!.actor, 'anh Minh');
      assert.deepEqual(exported[0]!.details, { origin: 'window', file: bundle.value.path, bytes: bundle.value.bytes });
      assert.ok(intact, 'the chain verifies with the new events in it');
    } finally {
      await agent.close();
    }
  });

  test('a backup whose audit event cannot be written is not kept: the window gets an error and backups/ holds no file', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    await agent.close();
    await refuseAuditAction(dataDir, 'backup.made');
    const service = await createAgentService({ dataDir, onError: () => undefined });
    try {
      const answer = await service.call('backup.create', {}, { user: 'chị Lan' });
      assert.equal(answer.ok, false);
      assert.deepEqual(readdirSync(join(dataDir, 'backups')), []);
    } finally {
      await service.close();
    }
  });

  test('the backup schedule logs its backups as "schedule", and removes one it cannot log', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    await agent.close();
    const t = Date.parse('2026-11-20T02:00:00Z');
    const file = await automaticBackup({ dataDir, retention: 3, now: () => t, agentVersion: '0.1.0' });
    const logged = (await auditOf(dataDir)).events.filter((e) => e.action === 'backup.made');
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.actor, 'schedule');
    assert.equal(logged[0]!.details['origin'], 'schedule');
    assert.equal(logged[0]!.details['file'], file);

    await refuseAuditAction(dataDir, 'backup.made');
    await assert.rejects(automaticBackup({ dataDir, retention: 3, now: () => t + 86_400_000, agentVersion: '0.1.0' }), /audit refused/);
    assert.deepEqual(readdirSync(join(dataDir, 'backups')), [file.slice(join(dataDir, 'backups').length + 1)]);
  });

  test('the CLI logs `backup FILE` and `diagnostics FILE` under the OS user, and a restore in the restored store', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    await agent.close();
    const outside = temp.make('copies-');
    const backupFile = join(outside, 'before.tar.gz');
    assert.equal((await cli(dataDir, ['backup', backupFile])).code, 0);
    const bundleFile = join(outside, 'diag.json');
    assert.equal((await cli(dataDir, ['diagnostics', bundleFile])).code, 0);
    const before = await auditOf(dataDir);
    const [made] = before.events.filter((e) => e.action === 'backup.made');
    assert.equal(made?.actor, localUserName());
    assert.equal(made?.details['origin'], 'cli');
    assert.equal(made?.details['file'], backupFile);
    const [exported] = before.events.filter((e) => e.action === 'diagnostics.exported');
    assert.equal(exported?.actor, localUserName());
    assert.equal(exported?.details['file'], bundleFile);

    const restored = await cli(dataDir, ['--json', 'restore', backupFile]);
    assert.equal(restored.code, 0, restored.stderr);
    const after = await auditOf(dataDir);
    const last = after.events.at(-1);
    assert.equal(last?.action, 'backup.restored');
    assert.equal(last?.actor, localUserName());
    assert.equal(last?.details['file'], 'before.tar.gz');
    assert.match(String(last?.details['previous']), /pre-restore-/);
    assert.ok(after.intact);
    assert.ok(!after.events.some((e) => e.action === 'diagnostics.exported'), 'the restored store is the one backed up before the bundle');
  });

  test('the CLI refuses to keep a backup it cannot log, and says why in Vietnamese', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { sync: false });
    await agent.close();
    await refuseAuditAction(dataDir, 'backup.made');
    const file = join(temp.make('copies-'), 'b.tar.gz');
    const result = await cli(dataDir, ['backup', file]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr + result.stdout, /nhật ký kiểm toán/);
    assert.equal(existsSync(file), false);
  });

  test('logging into a folder without a store is refused and creates nothing', async () => {
    const empty = temp.make('empty-');
    await assert.rejects(appendAuditEventToFolder(empty, { action: 'diagnostics.exported', actor: 'x' }), /no agent store/);
    assert.deepEqual(readdirSync(empty), []);
  });
});
