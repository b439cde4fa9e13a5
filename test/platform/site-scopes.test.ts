import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EnrollmentResponse } from '../../sync-engine/src/protocol/enrollment.js';
import { enroll } from '../support/platform-client.js';
import { describeOnEachStore } from '../support/platform-harness.js';

/**
 * SYNC-PROTOCOL.md, Words: a site's scope is one provinceCode of the 34-province
 * list in force since 2025-07-01, and optionally communes (of that province).
 */
describeOnEachStore('site scopes', (env) => {
  test('a province outside the list in force, or a commune that is not one of its communes, is refused', async () => {
    const p = await env.start();
    const refused: [string, { provinceCode: string; communeCodes?: string[] }, RegExp][] = [
      ['a province merged away in 2025', { provinceCode: '02' }, /provinceCode.*02/],
      ['no such province', { provinceCode: '99' }, /provinceCode.*99/],
      ['a commune of another province', { provinceCode: '01', communeCodes: ['00004', '20194'] }, /communeCodes.*20194/],
      ['no such commune', { provinceCode: '01', communeCodes: ['99999'] }, /communeCodes.*99999/],
    ];
    for (const [why, scope, message] of refused) {
      await assert.rejects(p.admin.addSite({ code: 'S1', name: 'S1', ...scope }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'validation_failed', why);
        assert.match(err.message, message, why);
        return true;
      });
    }
    assert.deepEqual(await p.admin.listSites(), []);
    const site = await p.admin.addSite({ code: 'HN-BA-DINH', name: 'Ba Đình', provinceCode: '01', communeCodes: ['00004'] });
    for (const [why, scope, message] of refused) {
      await assert.rejects(p.admin.setSiteScope('HN-BA-DINH', scope), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'validation_failed', why);
        assert.match(err.message, message, why);
        return true;
      });
    }
    assert.deepEqual(await p.admin.getSite('HN-BA-DINH'), site, 'a refused change leaves the site as it was');
    const moved = await p.admin.setSiteScope('HN-BA-DINH', { provinceCode: '48', communeCodes: ['20194'] });
    assert.deepEqual(moved.scope, { provinceCode: '48', communeCodes: ['20194'] });
    const { res } = await enroll(p.url, await p.admin.createToken({ site: 'HN-BA-DINH' }), 'HN-BA-DINH');
    assert.equal(res.status, 201);
    assert.deepEqual((res.body as unknown as EnrollmentResponse).scope, { provinceCode: '48', communeCodes: ['20194'] });
  });
});
