import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PROGRAM_DATA, serviceFileOf, winswPathOf } from '../../sync-engine/src/ops/service-definitions.js';
import { commandsRun, macroBody, wordsOfCommandLine } from './support/nsis-macro.js';
import { parseProblem } from '../support/cli-parse.js';

const ROOT = join(import.meta.dirname, '../..');
const SCRIPT = readFileSync(join(ROOT, 'installers/nsis/provision.nsh'), 'utf8');
/** %ProgramData%\NDXP Edge Agent as the script names it (SetShellVarContext all). */
const DATA = '$APPDATA\\NDXP Edge Agent';
const EDGE_AGENT = '$INSTDIR\\resources\\edge-agent.cmd';

interface Situation {
  /** /PROVISION=FILE on the installer's command line. */
  provision: boolean;
  /** The service XML is in %ProgramData% (the service was installed before). */
  serviceExists: boolean;
  /** electron-builder runs the old uninstaller with --updated during an upgrade. */
  updated: boolean;
}

function conditions(s: Situation): (condition: string) => boolean {
  return (condition) => {
    if (condition === '${Errors}') return !s.provision; // GetOptions sets the error flag when /PROVISION= is absent
    if (condition === '${isUpdated}') return s.updated;
    if (condition.startsWith('${FileExists}')) return s.serviceExists && condition.includes(`"${DATA}\\service\\ndxp-edge-agent.xml"`);
    if (condition === '$R2 != "0"') return false;
    throw new Error(`a condition this test does not know: ${condition}`);
  };
}

const run = (macro: string, s: Situation) => commandsRun(macroBody(SCRIPT, macro), conditions(s));

/** The edge-agent words of an installer command (after the edge-agent.cmd path), checked to parse. */
async function edgeAgentWords(line: string): Promise<string[]> {
  const [program, ...words] = wordsOfCommandLine(line);
  assert.equal(program, EDGE_AGENT, line);
  assert.equal(await parseProblem(words), null, line);
  return words;
}

describe('the NSIS installer script (installers/nsis/provision.nsh)', () => {
  test('an upgrade keeps the service: the old uninstaller, run with --updated, only stops it; a real uninstall removes it', async () => {
    const wrapper = winswPathOf(serviceFileOf({ os: 'windows', executable: EDGE_AGENT })).replace(PROGRAM_DATA.windows, DATA);
    assert.deepEqual(run('customUnInstall', { provision: false, serviceExists: true, updated: true }), [`"${wrapper}" stopwait`]);

    const removal = run('customUnInstall', { provision: false, serviceExists: true, updated: false });
    assert.equal(removal.length, 1);
    assert.deepEqual(await edgeAgentWords(removal[0]!), ['service', 'uninstall', '--os', 'windows', '--data', DATA]);
  });

  test("the new version's install installs again and so restarts a service that exists, with no /PROVISION; a first plain install runs nothing", async () => {
    const upgrade = run('customInstall', { provision: false, serviceExists: true, updated: false });
    assert.equal(upgrade.length, 1, JSON.stringify(upgrade));
    const words = await edgeAgentWords(upgrade[0]!);
    assert.deepEqual(words.slice(words.indexOf('service')), ['service', 'install', '--os', 'windows', '--data', DATA, '--exec', EDGE_AGENT]);
    assert.equal(words[words.indexOf('--log') + 1], `${DATA}\\logs\\upgrade.log`, 'under /S only the log shows why it failed');

    assert.deepEqual(run('customInstall', { provision: false, serviceExists: false, updated: false }), []);
    const provisioned = run('customInstall', { provision: true, serviceExists: true, updated: false });
    assert.equal(provisioned.length, 1);
    assert.ok((await edgeAgentWords(provisioned[0]!)).includes('provision'));
  });

  test('a silent install keeps what provision printed: edge-agent writes it to logs\\provision.log itself (--log)', async () => {
    const [provision] = run('customInstall', { provision: true, serviceExists: false, updated: false });
    const words = await edgeAgentWords(provision!);
    assert.equal(words[words.indexOf('--log') + 1], `${DATA}\\logs\\provision.log`);
    const body = macroBody(SCRIPT, 'customInstall');
    const open = body.findIndex((l) => l.startsWith('FileOpen'));
    assert.ok(open === -1 || /^FileSeek \S+ 0 END$/.test(body[open + 1]!), "the setup's own line goes after edge-agent's entry, not over it");
  });
});
