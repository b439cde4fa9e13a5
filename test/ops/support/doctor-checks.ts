import assert from 'node:assert/strict';

/** One check of `edge-agent --json doctor`'s report. */
export interface Check {
  id: string;
  status: string;
  detail?: Record<string, unknown>;
  messages: { vi: string; en: string };
}

/** The report's check `id`; fails the test when it is missing. */
export function checkOf(json: { checks: Check[] }, id: string): Check {
  const found = json.checks.find((c) => c.id === id);
  assert.ok(found, `check ${id} present`);
  return found;
}
