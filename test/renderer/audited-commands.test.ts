import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AUDITED_COMMANDS } from '../../renderer/src/api/acting-as.js';

/**
 * The web console asks for its person's name before the commands whose handlers
 * pass their caller on to the audit log. The renderer may not import the
 * engine's handlers, so it keeps its own list; this ties the two together.
 */
test("the web console's audited commands are exactly the handlers that record their caller", () => {
  const folder = join(import.meta.dirname, '../../sync-engine/src/service/handlers');
  const recording = new Set<string>();
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.ts'))) {
    const source = readFileSync(join(folder, name), 'utf8');
    for (const match of source.matchAll(/'([a-z]+\.[A-Za-z]+)': async \(\w+, \w+, caller\)/g)) recording.add(match[1]!);
  }
  assert.ok(recording.size >= 5, `found ${[...recording].join(', ')}`);
  assert.deepEqual([...AUDITED_COMMANDS].sort(), [...recording].sort());
});
