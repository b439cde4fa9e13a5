import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

describe('edge-agent --log FILE', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('appends what the command printed and its exit code, also when given after the command (as the Windows setup does)', async () => {
    const dir = temp.make('log-');
    const log = join(dir, 'logs', 'provision.log');
    const bad = join(dir, 'provisioning.json');
    writeFileSync(bad, '{ not json');
    const home = temp.make('home-');
    const first = await cli(home, ['--lang', 'vi', 'provision', bad, '--exec', 'C:\\x\\edge-agent.cmd', '--log', log]);
    assert.equal(first.code, 1);
    const data = temp.make('programdata-');
    const second = await cli(home, ['--lang', 'en', '--log', log, 'service', 'install', '--os', 'windows', '--data', data, '--exec', 'C:\\nowhere\\edge-agent.cmd']);
    assert.equal(second.code, 4);

    const entries = readFileSync(log, 'utf8').split('\n\n').filter((e) => e !== '');
    assert.equal(entries.length, 2);
    const [provision, service] = entries.map((e) => e.split('\n'));
    // The command's name only: its arguments may hold a token or a proxy password.
    assert.match(provision![0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z edge-agent provision$/);
    assert.ok(provision!.some((l) => /không phải JSON/.test(l)), 'the Vietnamese message the console showed');
    assert.equal(provision!.at(-1), 'exit code 1');
    assert.match(service![0]!, /Z edge-agent service install$/);
    assert.ok(service!.some((l) => l.includes('WinSW (the Windows service wrapper) is not at C:\\nowhere\\WinSW-x64.exe')));
    assert.equal(service!.at(-1), 'exit code 4');
  });
});
