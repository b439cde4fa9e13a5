/**
 * Shared set-up of the conflicts screen's browser tests (conflicts.test.ts and
 * conflict-*.test.ts): a harness with a smaller dataset, opening a conflict or a
 * possible duplicate, and adding an open conflict made like one of the fake's.
 */
import type { Page } from 'playwright-core';
import type { ConflictView } from '../../../sync-engine/src/api/index.js';
import { goTo, startHarness } from './browser.js';
import type { Harness } from './browser.js';
import { FakeAgent } from './fake-agent.js';

/** A smaller dataset: these tests are about conflicts, not the long list. */
export function startConflictsHarness(): Promise<Harness> {
  return startHarness({ agent: new FakeAgent(2_000) });
}

/** The conflicts screen, then the detail of the conflict titled TITLE. */
export async function openConflict(page: Page, title: string): Promise<void> {
  await goTo(page, 'conflicts');
  await page.locator('.conflicts-table button', { hasText: title }).first().click();
  await page.locator('.conflict-detail h2').waitFor();
}

/** The possible duplicate ID opened from the list filtered to that kind; returns its view. */
export async function openDuplicate(page: Page, agent: FakeAgent, id: string): Promise<ConflictView> {
  await goTo(page, 'conflicts');
  await page.getByLabel('Loại xung đột').selectOption('possible-duplicate');
  const conflict = agent.conflicts.find((c) => c.id === id)!;
  await page.locator('.conflicts-table tbody button', { hasText: conflict.title! }).click();
  await page.locator('.duplicate-table').waitFor();
  return conflict;
}

/** Adds to the fake an open conflict made like the one TEMPLATE (its own copy), with CHANGES (its id and title, say). */
export function addConflictLike(agent: FakeAgent, template: string, changes: Partial<ConflictView> & Pick<ConflictView, 'id' | 'title'>): ConflictView {
  const conflict: ConflictView = { ...structuredClone(agent.conflicts.find((c) => c.id === template)!), status: 'open', settled: null, ...changes };
  agent.conflicts.push(conflict);
  return conflict;
}

/** Presses the bulk take keeping SIDE for the selected conflicts, then confirms it in the dialog that asks first. */
export async function bulkTake(page: Page, side: 'local' | 'national'): Promise<void> {
  const label = side === 'local' ? 'Giữ bên đơn vị này ở các trường xung đột, cho các mục đã chọn' : 'Giữ bên quốc gia ở các trường xung đột, cho các mục đã chọn';
  await page.locator('.bulk-bar button', { hasText: label }).click();
  await confirmBulkTake(page, side);
}

/** Confirms the open bulk-take dialog (it keeps SIDE). */
export async function confirmBulkTake(page: Page, side: 'local' | 'national'): Promise<void> {
  const dialog = page.locator('dialog[aria-labelledby="bulk-take-title"]');
  await dialog.getByRole('button', { name: side === 'local' ? 'Giữ bên đơn vị này' : 'Giữ bên quốc gia', exact: true }).click();
}
