import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toDatasetView } from '../../sync-engine/src/service/record-views.js';
import type { SyncRunView } from '../../sync-engine/src/api/views.js';
import { birthsWithEthnicity } from '../support/dataset-versions.js';
import { goTo, startHarness } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS } from './support/fake-data.js';

// The national platform published a new version of a dataset; the office's agent takes it at its
// next sync. The window open on it shows the new field then, without being opened again.
describe('a dataset version that arrives with a sync (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('a new-record form open when the sync brings the new version shows its new field, and keeps what was typed', async () => {
    const page = await h.open('vi');
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    await page.locator('.record-form').waitFor();
    const fullName = page.locator(`#rf-${BIRTHS}-fullName`);
    await fullName.fill('Lò Văn Páo');
    assert.equal(await page.locator(`#rf-${BIRTHS}-ethnicity`).count(), 0, 'version 1 has no such field');

    // The agent's catalog now holds version 2 (ethnicity, Dân tộc); the sync that fetched it finishes.
    const shown = h.agent.datasetView.bind(h.agent);
    h.agent.datasetView = (name: string) => (name === BIRTHS ? toDatasetView(birthsWithEthnicity(), h.agent.records.get(BIRTHS)?.length ?? 0, h.agent.siteScope) : shown(name));
    const run: SyncRunView = { id: 9001, trigger: 'schedule', startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), status: 'ok', pushed: 0, pulled: 0, conflicts: 0, rejected: 0, error: null };
    h.agent.emit('sync.finished', run);

    await page.getByLabel('Dân tộc').waitFor();
    assert.equal(await fullName.inputValue(), 'Lò Văn Páo', 'what was typed stays');
    await page.getByLabel('Dân tộc').fill('Thái');
    assert.equal(await page.locator(`#rf-${BIRTHS}-ethnicity`).inputValue(), 'Thái');
  });
});
