import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnrollmentResponse } from '../../sync-engine/src/protocol/enrollment.js';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import { generateAgentKeyPair } from '../../sync-engine/src/protocol/signing.js';
import { plainCall } from '../support/platform-client.js';
import { platformCli as cli } from '../support/platform-cli.js';
import { describeOnEachStore, type TestPlatform } from '../support/platform-harness.js';

/**
 * Enrollment tokens an operator lists and revokes (`tokens list`, `tokens
 * revoke`): a leaked token is cancelled before it expires, and enrollment then
 * answers it as an expired one (docs/operations.md 1.11, docs/protocol.md).
 */
interface TokenRow {
  id: string;
  siteCode: string;
  state: string;
  createdAt: string;
  expiresAt: string;
  usedByAgent: string | null;
  revokedAt: string | null;
}

const enrollWith = (p: TestPlatform, token: string, siteCode = 'HN-01') =>
  plainCall<EnrollmentResponse & ErrorBody>(
    p.url,
    'POST',
    '/v1/enrollments',
    JSON.stringify({ token, siteCode, agentName: 'Máy 1', publicKey: generateAgentKeyPair().publicKeyPem }),
  );

async function list(p: TestPlatform, ...args: string[]): Promise<TokenRow[]> {
  const res = await cli(p.db, ['tokens', 'list', '--json', ...args]);
  assert.equal(res.code, 0, res.err);
  return JSON.parse(res.out) as TokenRow[];
}

describeOnEachStore('cli: enrollment tokens', (env) => {
  test('tokens create --json gives the id and expiry; a revoked token is refused at enrollment as an expired one is', async () => {
    const p = await env.start();
    await p.admin.addSite({ code: 'HN-01', name: 'Hà Nội', provinceCode: '01' });
    const created = await cli(p.db, ['tokens', 'create', '--site', 'HN-01', '--ttl', '2h', '--json']);
    assert.equal(created.code, 0, created.err);
    const issued = JSON.parse(created.out) as { site: string; id: string; token: string; ttlSeconds: number; expiresAt: string };
    assert.deepEqual([issued.site, issued.ttlSeconds, issued.id.length], ['HN-01', 7200, 12]);

    const [row] = await list(p);
    assert.deepEqual([row?.id, row?.siteCode, row?.state, row?.revokedAt], [issued.id, 'HN-01', 'unused', null]);
    assert.equal(row?.expiresAt, issued.expiresAt);
    assert.equal(Date.parse(issued.expiresAt) - Date.parse(row?.createdAt ?? ''), 7_200_000, 'expires 2 h after it was made');
    assert.ok(!JSON.stringify(await list(p)).includes(issued.token), 'the list never shows a token');

    const revoked = await cli(p.db, ['tokens', 'revoke', issued.id]);
    assert.equal(revoked.code, 0, revoked.err);
    assert.match(revoked.out, new RegExp(`^token ${issued.id} \\(HN-01\\) is revoked since \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}\\n$`));
    assert.equal((await list(p, '--site', 'HN-01'))[0]?.state, 'revoked');

    const refused = await enrollWith(p, issued.token);
    const expiring = await p.admin.createToken({ site: 'HN-01', ttlSeconds: 60 });
    p.clock.advance(120);
    const expired = await enrollWith(p, expiring);
    assert.deepEqual([refused.status, refused.body], [expired.status, expired.body], 'the same answer as an expired token');
    assert.deepEqual([refused.status, refused.body.error], [403, 'token_expired']);
    assert.equal((await p.admin.listAgents()).length, 0);
    const again = await cli(p.db, ['tokens', 'revoke', issued.id, '--json']);
    assert.equal(again.code, 0, again.err);
    assert.equal((JSON.parse(again.out) as TokenRow).state, 'revoked', 'revoking again changes nothing');
  });

  test('a token is revoked by itself too; unknown and used tokens are refused in one sentence; a revoke leaves other tokens usable', async () => {
    const p = await env.start();
    await p.admin.addSite({ code: 'HN-01', name: 'Hà Nội', provinceCode: '01' });
    const leaked = await p.admin.createToken({ site: 'HN-01' });
    const other = await p.admin.createToken({ site: 'HN-01' });
    assert.equal((await cli(p.db, ['tokens', 'revoke', leaked])).code, 0);
    assert.equal((await enrollWith(p, leaked)).body.error, 'token_expired');
    const enrolled = await enrollWith(p, other);
    assert.equal(enrolled.status, 201);

    const unknown = await cli(p.db, ['tokens', 'revoke', '0123456789ab']);
    assert.deepEqual([unknown.code, unknown.out], [1, '']);
    assert.equal(unknown.err, 'error: no enrollment token has id 0123456789ab (tokens list shows the ids) (not_found)\n');
    const used = (await list(p)).find((t) => t.state === 'used');
    assert.equal(used?.usedByAgent, enrolled.body.agentId);
    const refused = await cli(p.db, ['tokens', 'revoke', used?.id ?? '']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, new RegExp(`^error: token ${used?.id} was already used on \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2} by agent ${enrolled.body.agentId}: revoke that agent instead \\(agents revoke ${enrolled.body.agentId}\\) \\(bad_request\\)\\n$`));
    assert.deepEqual((await list(p)).map((t) => t.state).sort(), ['revoked', 'used']);
    const noSite = await cli(p.db, ['tokens', 'list', '--site', 'hn-01']);
    assert.equal(noSite.err, 'error: no site with code hn-01 (not_found)\n');
  });

  test('--ttl is capped at 30 days, and the refusal names the maximum', async () => {
    const p = await env.start();
    await p.admin.addSite({ code: 'HN-01', name: 'Hà Nội', provinceCode: '01' });
    for (const ttl of ['31d', '10000d', '721h']) {
      const res = await cli(p.db, ['tokens', 'create', '--site', 'HN-01', '--ttl', ttl]);
      assert.deepEqual([res.code, res.out], [1, ''], ttl);
      assert.equal(res.err, `error: --ttl ${ttl} is too long: a token lives at most 30d (30 days)\n`);
    }
    assert.equal((await list(p)).length, 0, 'nothing was issued');
    await assert.rejects(p.admin.issueToken({ site: 'HN-01', ttlSeconds: 31 * 86_400 }), /at most 30 days/);
    const longest = await cli(p.db, ['tokens', 'create', '--site', 'HN-01', '--ttl', '30d', '--json']);
    assert.equal(longest.code, 0, longest.err);
  });
});
