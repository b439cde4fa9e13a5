import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { DATA_FOLDER_NAME } from '../../sync-engine/src/service/data-dir.js';
import { shellWord } from '../../sync-engine/src/service/shell-word.js';
import { TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

// A next-step hint is a command IT copies as printed: it must act on the folder the command ran on.

const temp = new TempDirs();
after(() => temp.cleanup());
const PLATFORM = 'http://127.0.0.1:9';

test('on a folder given by --home, the next steps of init and network set name it: edge-agent --home DIR …', async () => {
  const home = join(temp.make('next-steps-'), 'văn phòng xã');
  const named = `edge-agent --home ${shellWord(resolve(home))}`;

  const init = await cli(home, ['--lang', 'en', 'init', '--platform', PLATFORM, '--site', 'XA-01']);
  assert.equal(init.code, 0, init.stderr + init.stdout);
  assert.ok(init.stdout.includes(`Next: ${named} enroll --token <enrollment token>`), init.stdout);

  const network = await cli(home, ['network', 'set', '--bypass', 'localhost']);
  assert.equal(network.code, 0, network.stderr + network.stdout);
  assert.ok(network.stdout.includes(`Kiểm tra bằng: ${named} doctor`), network.stdout);
});

test('on the default folder, the hints stay short: edge-agent …', async () => {
  const dataHome = temp.make('next-steps-xdg-');
  const env = { ...process.env, EDGE_AGENT_HOME: '', XDG_DATA_HOME: dataHome };
  const init = await cli(join(dataHome, DATA_FOLDER_NAME), ['--lang', 'en', 'init', '--platform', PLATFORM, '--site', 'XA-01'], { env });
  assert.equal(init.code, 0, init.stderr + init.stdout);
  assert.ok(init.stdout.includes('Next: edge-agent enroll --token <enrollment token>'), init.stdout);
});
