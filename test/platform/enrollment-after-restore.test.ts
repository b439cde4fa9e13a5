import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnrollmentResponse } from '../../sync-engine/src/protocol/enrollment.js';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import { generateAgentKeyPair } from '../../sync-engine/src/protocol/signing.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { plainCall } from '../support/platform-client.js';
import { describeOnEachStore, type TestPlatform } from '../support/platform-harness.js';

/**
 * An agent enrolled again names the identity its data folder had
 * (`previousAgentId`). Only a platform that was restored without that
 * enrollment answers the time of the newest change it held when the epoch
 * began (`restoredHeadAt`), so the agent sends again the records it created
 * after it (docs/protocol.md, Enrollment); any other answer carries none, and
 * the agent sweeps what the snapshot lacks as before.
 */
const BIRTHS = 'civil-status-births';

async function enrollAs(p: TestPlatform, previousAgentId?: string): Promise<EnrollmentResponse & ErrorBody> {
  const token = await p.admin.createToken({ site: 'HN-01' });
  const body = { token, siteCode: 'HN-01', agentName: 'Máy 1', publicKey: generateAgentKeyPair().publicKeyPem, ...(previousAgentId ? { previousAgentId } : {}) };
  const answer = await plainCall<EnrollmentResponse & ErrorBody>(p.url, 'POST', '/v1/enrollments', JSON.stringify(body));
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

describeOnEachStore('enrollment naming the agent the data folder had before', (env) => {
  test('answers restoredHeadAt only when, after epoch new, that agent is unknown here and was enrolled after the newest change the platform held', async () => {
    const p = await env.start();
    await p.admin.addSite({ code: 'HN-01', name: 'Hà Nội', provinceCode: '01' });
    const gen = createSampleGenerator(5);
    const record = await p.admin.putRecord(BIRTHS, gen.birth('01'));
    const headAt = (await p.admin.getRecord(BIRTHS, record.id))?.updatedAt ?? '';
    const lostAgent = uuidv7(Date.parse(headAt) + 60_000);
    assert.equal((await enrollAs(p, lostAgent)).restoredHeadAt, undefined, 'no epoch begun after a restore: nothing was lost');

    p.clock.advance(120);
    const known = await enrollAs(p);
    await p.admin.revokeAgent(known.agentId);
    await p.admin.newEpoch();

    assert.equal((await enrollAs(p, lostAgent)).restoredHeadAt, headAt, 'unknown, enrolled after the head: lost in the restore');
    assert.equal((await enrollAs(p, known.agentId)).restoredHeadAt, undefined, 'an agent it knows (revoked) was not lost');
    assert.equal((await enrollAs(p, uuidv7(Date.parse(headAt) - 60_000))).restoredHeadAt, undefined, 'unknown, but enrolled before the head: not this platform’s history');
    assert.equal((await enrollAs(p)).restoredHeadAt, undefined, 'a first enrollment names none');
  });
});
