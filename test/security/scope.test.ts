import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import type { PullPage } from '../../sync-engine/src/protocol/pull.js';
import { remove, upsert } from '../support/platform-harness.js';
import { DS, twoProvinces, type TwoProvinces } from './support/two-provinces.js';

type Results = { results: Array<{ status: string; errors?: Array<{ code: string }>; current?: unknown; existingId?: string }> };

/**
 * Another office's agent (Hà Nội, province 01) going after Đà Nẵng's (48)
 * records: writing them, reading them through a doctored cursor or path,
 * learning them from error messages. Every attempt is refused and no answer
 * carries any of Đà Nẵng's record data.
 */
describe('an office reaching into another province', () => {
  let w: TwoProvinces;
  const gen = createSampleGenerator(7);
  const head = async () => (await w.platform.admin.status()).headSeq;

  before(async () => {
    w = await twoProvinces();
  });
  after(() => w.close());

  /** Nothing of Đà Nẵng's records in the answer, except `allowed` (e.g. the existingId the protocol gives for unique). */
  function assertNoLeak(answer: unknown, allowed: string[] = []) {
    const text = JSON.stringify(answer);
    for (const secret of w.secrets()) if (!allowed.includes(secret)) assert.ok(!text.includes(secret), `the answer leaks "${secret}": ${text.slice(0, 400)}`);
  }

  async function pushRejected(mutation: object, code: string) {
    const before = await head();
    const answer = await w.hanoi.push<Results>([mutation]);
    assert.equal(answer.status, 200);
    const result = answer.body.results[0]!;
    assert.equal(result.status, 'rejected', JSON.stringify(result));
    assert.equal(result.errors?.[0]?.code, code);
    assert.equal(result.current, undefined, 'no current record given');
    assert.equal(await head(), before, 'nothing written');
    return answer.body;
  }

  test('creating a record in another province is rejected as scope', async () => {
    assertNoLeak(await pushRejected(upsert(DS, gen.birth('48')), 'scope'));
  });

  test('editing, re-creating or deleting a record of another province is rejected as scope, never answered with the record', async () => {
    const target = w.danangRecords[0]!;
    const moved = { ...gen.birth('01') };
    assertNoLeak(await pushRejected(upsert(DS, moved, { id: target.id, baseRev: target.rev }), 'scope'), [target.id]);
    assertNoLeak(await pushRejected(upsert(DS, moved, { id: target.id, baseRev: target.rev + 7 }), 'scope'), [target.id]);
    assertNoLeak(await pushRejected(upsert(DS, moved, { id: target.id }), 'scope'), [target.id]);
    assertNoLeak(await pushRejected(remove(DS, target.id, target.rev), 'scope'), [target.id]);
    const after = await w.platform.admin.getRecord(DS, target.id);
    assert.equal(after?.rev, target.rev);
    assert.deepEqual(after?.data, target.data);
  });

  test('a personal ID held in another province is rejected as unique with its id only, none of its data', async () => {
    const target = w.danangRecords[1]!;
    const body = await pushRejected(upsert(DS, { ...gen.birth('01'), personalId: target.data['personalId'], birthDate: target.data['birthDate'], gender: target.data['gender'], registrationDate: target.data['registrationDate'] }), 'unique');
    assertNoLeak(body, [target.id, String(target.data['personalId'])]);
    assert.equal(body.results[0]?.existingId, target.id);
  });

  test('writing a read-only dataset is rejected as access', async () => {
    await pushRejected(
      upsert('admin-units', { provinceCode: '01', provinceName: 'Hà Nội', provinceType: 'thành phố', communeCode: '99999', communeName: 'X', communeType: 'xã' }),
      'access',
    );
  });

  test('a full pull and the digest show only the office’s own province', async () => {
    const page = await w.hanoi.pull<PullPage>(DS);
    assert.equal(page.status, 200);
    assert.deepEqual(new Set(page.body.changes.map((c) => c.id)), new Set(w.hanoiRecords.map((r) => r.id)));
    assertNoLeak(page.body);
    const digest = await w.hanoi.digest<{ count: number }>(DS);
    assert.equal(digest.body.count, w.hanoiRecords.length, 'the digest counts Hà Nội only');
  });

  test('an edited cursor, another agent’s cursor and another dataset’s cursor are refused without data', async () => {
    const own = (await w.hanoi.pull<PullPage>(DS)).body.cursor;
    const theirs = (await w.danang.pull<PullPage>(DS)).body.cursor;
    const [prefix, payload, mac] = own.split('.') as [string, string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const edits = [
      { ...decoded, seq: 0 },
      { ...decoded, ag: w.danang.agentId },
      { ...decoded, ds: 'procedure-dossiers' },
    ].map((p) => `${prefix}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${mac}`);
    const dossiersCursor = (await w.hanoi.pull<PullPage>('procedure-dossiers')).body.cursor;
    for (const cursor of [...edits, theirs, `${prefix}.${payload}.${'A'.repeat(mac.length)}`]) {
      const answer = await w.hanoi.pull(DS, cursor);
      assert.equal(answer.status, 400, `cursor ${cursor.slice(0, 40)}… answered ${answer.status}`);
      assert.equal((answer.body as { error: string }).error, 'bad_cursor');
      assertNoLeak(answer.body);
    }
    const crossed = await w.hanoi.pull(DS, dossiersCursor);
    assert.equal(crossed.status, 400);
    assertNoLeak(crossed.body);
  });

  test('dataset names twisted in the path reach no other data', async () => {
    for (const name of ['CIVIL-STATUS-BIRTHS', `${DS}%2F..%2Fadmin-units`, `..%2F${DS}`, `${DS}%00`, encodeURIComponent(`${DS}' OR '1'='1`), encodeURIComponent(`${DS}/../../v1/datasets`)]) {
      for (const endpoint of ['changes', 'digest']) {
        const answer = await w.hanoi.call('GET', `/v1/datasets/${name}/${endpoint}`);
        assert.ok(answer.status === 404 || answer.status === 400, `${name}/${endpoint} answered ${answer.status}`);
        assertNoLeak(answer.body);
      }
    }
  });
});
