import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

const cases: Array<{ file: string; code: string; refused: boolean; why: string }> = [
  { file: 'national-platform/src/x.ts', code: "import { a } from '../../sync-engine/src/store/index.js';\nexport { a };\n", refused: true, why: 'platform reaching the agent store' },
  { file: 'national-platform/src/x.ts', code: "import { a } from '../../sync-engine/src/protocol/index.js';\nexport { a };\n", refused: false, why: 'platform using the protocol module' },
  { file: 'sync-engine/src/domain/x.ts', code: "import { readFileSync } from 'node:fs';\nexport { readFileSync };\n", refused: true, why: 'domain doing I/O' },
  { file: 'sync-engine/src/outbox/x.ts', code: "import got from 'got';\nexport { got };\n", refused: true, why: 'got outside adapters' },
  { file: 'sync-engine/src/adapters/x.ts', code: "import got from 'got';\nexport { got };\n", refused: false, why: 'got inside adapters' },
  { file: 'sync-engine/src/sync/x.ts', code: "import { app } from 'electron';\nexport { app };\n", refused: true, why: 'engine importing electron' },
  { file: 'sync-engine/src/protocol/x.ts', code: "import { a } from '../store/index.js';\nexport { a };\n", refused: true, why: 'protocol importing the store' },
  { file: 'renderer/src/x.ts', code: "import { commands } from '../../sync-engine/src/api/index.js';\nexport { commands };\n", refused: true, why: 'renderer importing engine runtime code' },
  { file: 'renderer/src/api/client.ts', code: "import type { AgentApi } from '../../../sync-engine/src/api/index.js';\nexport type { AgentApi };\n", refused: false, why: 'renderer importing contract types' },
  { file: 'main/x.ts', code: "import { a } from '../sync-engine/src/store/index.js';\nexport { a };\n", refused: true, why: 'main bypassing the engine entry' },
  { file: 'renderer/src/model/x.ts', code: "import type { Tone } from '../components/Badge.js';\nexport type { Tone };\n", refused: true, why: "the window's model importing a component" },
  { file: 'renderer/src/model/x.ts', code: "import { useState } from 'react';\nexport { useState };\n", refused: true, why: "the window's model importing React" },
  { file: 'renderer/src/model/x.ts', code: "import type { AgentStatusView } from '../api/types.js';\nexport type { AgentStatusView };\n", refused: false, why: "the window's model importing contract types" },
];

for (const c of cases) {
  test(`layer map ${c.refused ? 'refuses' : 'allows'} ${c.why}`, async () => {
    const errors = await layerErrors(c.file, c.code);
    assert.equal(errors.length > 0, c.refused, errors.join('\n'));
  });
}

test('layer map allows main to use the engine public entry', async () => {
  const errors = await layerErrors('main/x.ts', "import { a } from '../sync-engine/src/index.js';\nexport { a };\n");
  assert.deepEqual(errors, []);
});
