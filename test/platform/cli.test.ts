import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import type { EnrollmentResponse, HealthResponse } from '../../sync-engine/src/protocol/enrollment.js';
import { generateAgentKeyPair } from '../../sync-engine/src/protocol/signing.js';
import type { PushResponse } from '../../sync-engine/src/protocol/push.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { openPlatformStore } from '../../national-platform/src/store/platform-store.js';
import { plainCall } from '../support/platform-client.js';
import { platformCli } from '../support/platform-cli.js';
import { describeOnEachStore, upsert } from '../support/platform-harness.js';

const LAUNCHER = resolve(import.meta.dirname, '../../bin/national-platform.js');

const cli = platformCli;

function tempFile(name: string, content: string): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'platform-cli-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describeOnEachStore('cli', (env) => {
  test('an operator adds a site, issues a token, and approves the agent that enrolled with it', async () => {
    const p = await env.start();
    const added = await cli(p.db, ['sites', 'add', 'HCM-01', '--province', '79', '--name', 'Sở Tư pháp TP.HCM', '--require-approval']);
    assert.equal(added.code, 0, added.err);
    const issued = await cli(p.db, ['tokens', 'create', '--site', 'HCM-01', '--ttl', '2h', '--json']);
    assert.equal(issued.code, 0, issued.err);
    const { token } = JSON.parse(issued.out) as { token: string };
    const body = JSON.stringify({ token, siteCode: 'HCM-01', agentName: 'Máy 1', publicKey: generateAgentKeyPair().publicKeyPem });
    const enrolled = await plainCall<EnrollmentResponse>(p.url, 'POST', '/v1/enrollments', body);
    assert.equal(enrolled.body.status, 'pending');
    const listed = JSON.parse((await cli(p.db, ['agents', 'list', '--json'])).out) as { id: string; status: string }[];
    assert.deepEqual(listed.map((a) => [a.id, a.status]), [[enrolled.body.agentId, 'pending']]);
    const approved = await cli(p.db, ['agents', 'approve', enrolled.body.agentId]);
    assert.equal(approved.code, 0);
    assert.match(approved.out, /active/);
    assert.equal((await p.admin.listAgents())[0]?.status, 'active');
    const scoped = await cli(p.db, ['sites', 'scope', 'HCM-01', '--province', '79', '--communes', '25747,25750']);
    assert.equal(scoped.code, 0, scoped.err);
    const sites = JSON.parse((await cli(p.db, ['sites', 'list', '--json'])).out) as { code: string; scopeVersion: number; scope: unknown }[];
    assert.deepEqual(sites.map((s) => [s.code, s.scopeVersion, s.scope]), [['HCM-01', 2, { provinceCode: '79', communeCodes: ['25747', '25750'] }]]);
    const revoked = await cli(p.db, ['agents', 'revoke', enrolled.body.agentId]);
    assert.equal(revoked.code, 0, revoked.err);
    // What follows and the way back, since a revoked agent cannot be approved again.
    assert.equal(
      revoked.out,
      `agent ${enrolled.body.agentId} (HCM-01) is revoked; every further request of it is refused, its changes wait in that computer's outbox. ` +
        `To let the office sync again: national-platform tokens create --site HCM-01, then edge-agent enroll --token … on the office's computer (a new agent id)\n`,
    );
    const vi = await cli(p.db, ['agents', 'revoke', enrolled.body.agentId], '', 'vi');
    assert.match(vi.out, /: đã bị thu hồi quyền \(revoked\); mọi yêu cầu tiếp theo của nó bị từ chối.* Để đơn vị đồng bộ lại: national-platform tokens create --site HCM-01, rồi edge-agent enroll --token … trên máy của đơn vị/);
    assert.equal((await p.admin.listAgents())[0]?.status, 'revoked');
  });

  test('records are put from a file or stdin, listed, deleted and purged', async () => {
    const p = await env.start();
    const gen = createSampleGenerator(51);
    const file = tempFile('birth.json', JSON.stringify(gen.birth('01')));
    try {
      const put = await cli(p.db, ['records', 'put', 'civil-status-births', file.path]);
      assert.equal(put.code, 0, put.err);
      const id = /record (\S+) is at rev 1/.exec(put.out)?.[1] ?? '';
      const piped = await cli(p.db, ['records', 'put', 'civil-status-births', '-'], JSON.stringify([gen.birth('48'), gen.birth('48')]));
      assert.equal(piped.code, 0, piped.err);
      const hanoi = JSON.parse((await cli(p.db, ['records', 'list', 'civil-status-births', '--province', '01', '--json'])).out) as { id: string }[];
      assert.deepEqual(hanoi.map((r) => r.id), [id]);
      assert.equal((await p.admin.listRecords('civil-status-births')).length, 3);
      const deleted = await cli(p.db, ['records', 'delete', 'civil-status-births', id]);
      assert.equal(deleted.code, 0, deleted.err);
      assert.match(deleted.out, /rev 2/);
      await new Promise((r) => setTimeout(r, 5));
      const purged = JSON.parse((await cli(p.db, ['purge', '--older-than', '0', '--yes', '--json'])).out) as { purgedTombstones: number };
      assert.equal(purged.purgedTombstones, 1);
      assert.equal(await p.admin.getRecord('civil-status-births', id), null);
    } finally {
      file.cleanup();
    }
  });

  test('a refusal is one sentence on stderr and exit code 1', async () => {
    const p = await env.start();
    const cases = [
      ['tokens', 'create', '--site', 'NO-SUCH-SITE'],
      ['tokens', 'create', '--site', 'X', '--ttl', 'forever'],
      ['records', 'put', 'civil-status-births', '-'],
      ['maintenance', 'sideways'],
      ['agents', 'approve', 'nobody'],
      ['messages', 'list', '--limit', '20000'],
    ];
    for (const args of cases) {
      const res = await cli(p.db, args, '{"fullName": 3}');
      assert.equal(res.code, 1, args.join(' '));
      assert.match(res.err, /^error: \S.*\n$/, args.join(' '));
      assert.equal(res.err.trim().split('\n').length, 1, res.err);
    }
    assert.notEqual((await cli(p.db, ['no-such-command'])).code, 0);
  });

  test('sites access refuses a dataset the platform does not have, naming the ones it has, and read-write on a read-only dataset', async () => {
    const p = await env.start();
    assert.equal((await cli(p.db, ['sites', 'add', 'HCM-01', '--province', '79', '--name', 'x'])).code, 0);
    const res = await cli(p.db, ['sites', 'access', 'HCM-01', 'civil-status-birth', 'read']);
    assert.equal(res.code, 1);
    assert.match(res.err, /^error: no dataset is called "civil-status-birth"; the datasets are admin-units, civil-status-births, procedure-dossiers, business-households\n$/);
    assert.deepEqual((await p.admin.getSite('HCM-01')).access, {});
    const readOnly = await cli(p.db, ['sites', 'access', 'HCM-01', 'admin-units', 'read-write']);
    assert.equal(readOnly.code, 1);
    assert.equal(readOnly.err, 'error: admin-units is read-only for every site: a site can only be given read access to it\n');
    assert.equal(readOnly.out, '', 'not "site HCM-01 has read-write access to admin-units"');
  });

  test('seed --demo loads demo sites and data once, and the maintenance switch shows in status', async () => {
    const p = await env.start();
    const seeded = await cli(p.db, ['seed', '--demo', '--json']);
    assert.equal(seeded.code, 0, seeded.err);
    const summary = JSON.parse(seeded.out) as { sites: string[]; records: Record<string, number> };
    assert.equal(summary.records['admin-units'], 3321);
    assert.ok((summary.records['civil-status-births'] ?? 0) >= 300);
    assert.ok(summary.sites.length >= 2);
    const again = JSON.parse((await cli(p.db, ['seed', '--demo', '--json'])).out) as { sites: string[]; records: Record<string, number> };
    assert.deepEqual(again, { sites: [], records: {} });
    assert.equal((await cli(p.db, ['maintenance', 'on', '--retry-after', '30'])).code, 0);
    const status = JSON.parse((await cli(p.db, ['status', '--json'])).out) as { maintenance: { on: boolean; retryAfterSeconds: number } };
    assert.deepEqual(status.maintenance, { on: true, retryAfterSeconds: 30 });
    assert.equal((await cli(p.db, ['maintenance', 'off'])).code, 0);
  });

  test("an operator lists the message log and checks a change's signature again; a tampered request fails the check", async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(21);
    const sent = [upsert('civil-status-births', gen.birth('01')), upsert('civil-status-births', gen.birth('01'))];
    const pushed = await agent.call<PushResponse>('POST', '/v1/mutations', { mutations: sent }, { gzip: true });
    assert.deepEqual(pushed.body.results.map((r) => r.status), ['applied', 'applied']);

    const listed = await cli(p.db, ['messages', 'list', '--json']);
    assert.equal(listed.code, 0, listed.err);
    const entries = JSON.parse(listed.out) as { mutationId: string; recordId: string; mutation: string }[];
    assert.deepEqual(entries.map((e) => e.mutationId).sort(), sent.map((m) => m.mutationId).sort());
    assert.deepEqual(JSON.parse(entries[0]?.mutation ?? 'null'), sent.find((m) => m.mutationId === entries[0]?.mutationId));
    const one = await cli(p.db, ['messages', 'list', '--record', sent[0]?.id ?? '']);
    assert.match(one.out, new RegExp(sent[0]?.mutationId ?? '-'));
    assert.doesNotMatch(one.out, new RegExp(sent[1]?.mutationId ?? '-'));

    const checked = await cli(p.db, ['messages', 'verify', sent[0]?.mutationId ?? '']);
    assert.equal(checked.code, 0, checked.err);
    assert.match(checked.out, new RegExp(`verified: signed by agent ${agent.agentId}`));
    // A revoked agent's earlier requests still prove what it sent.
    assert.equal((await cli(p.db, ['agents', 'revoke', agent.agentId])).code, 0);
    assert.equal((await cli(p.db, ['messages', 'verify', sent[1]?.mutationId ?? ''])).code, 0);

    const store = await openPlatformStore(p.db);
    try {
      const [row] = (await store.dataSource.query('SELECT id, body FROM signed_requests')) as { id: string; body: Uint8Array }[];
      assert.ok(row);
      const body = Buffer.from(gunzipSync(Buffer.from(row.body)).toString('utf8').replace(sent[0]?.id ?? '-', uuidv7()));
      const postgres = p.db.startsWith('postgres');
      await store.dataSource.query(`UPDATE signed_requests SET body = ${postgres ? '$1' : '?'}, content_encoding = 'identity'`, [body]);
    } finally {
      await store.close();
    }
    const tampered = await cli(p.db, ['messages', 'verify', sent[0]?.mutationId ?? '', '--json']);
    assert.equal(tampered.code, 1);
    assert.equal((JSON.parse(tampered.out.split('\n')[0] ?? '{}') as { status: string }).status, 'invalid');
    assert.equal(tampered.err, 'error: NOT verified: Content-Digest does not match the body\n');
    // The reason in Vietnamese too (the default language); --json carries its code beside the English.
    const tamperedVi = await platformCli(p.db, ['messages', 'verify', sent[0]?.mutationId ?? ''], '', null);
    assert.equal(tamperedVi.err, 'lỗi: KHÔNG hợp lệ: Content-Digest không khớp với nội dung của yêu cầu\n');
    assert.equal((JSON.parse(tampered.out.split('\n')[0] ?? '{}') as { reasonCode: string }).reasonCode, 'bad_signature');
    const kept = await openPlatformStore(p.db);
    let requestId = '';
    try {
      const [row] = (await kept.dataSource.query('SELECT id FROM signed_requests')) as { id: string }[];
      requestId = row?.id ?? '';
      await kept.dataSource.query('DELETE FROM signed_requests');
    } finally {
      await kept.close();
    }
    const lost = await cli(p.db, ['messages', 'verify', sent[0]?.mutationId ?? '']);
    assert.equal(lost.err, `error: NOT verified: the request ${requestId} it names is missing\n`);
    const lostVi = await platformCli(p.db, ['messages', 'verify', sent[0]?.mutationId ?? ''], '', null);
    assert.equal(lostVi.err, `lỗi: KHÔNG hợp lệ: không còn yêu cầu ${requestId} mà bản ghi nhận nêu\n`);
    const missing = await cli(p.db, ['messages', 'verify', uuidv7()]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /not found: no accepted mutation has this id/);
  });
});

// The launcher is a process boundary, not a store concern: once, on SQLite.
test('the launcher prints help and serves the API until SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'platform-launcher-'));
  const db = join(dir, 'platform.sqlite');
  const help = await new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(process.execPath, [LAUNCHER, '--help']);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => done({ code, out }));
  });
  assert.equal(help.code, 0);
  assert.match(help.out, /serve/);
  await (await openPlatformStore(db)).close(); // serve only serves a platform database that exists
  const child = spawn(process.execPath, [LAUNCHER, '--lang', 'en', 'serve', '--port', '0', '--db', db]);
  try {
    const url = await new Promise<string>((found, fail) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m?.[1]) found(m[1]);
      });
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${err}`)));
    });
    const health = await plainCall<HealthResponse>(url, 'GET', '/v1/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
  } finally {
    const exited = child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
