import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../sync-engine/src/cli/program.js';

function* commandsOf(command: Command): Generator<Command> {
  yield command;
  for (const sub of command.commands) yield* commandsOf(sub);
}

/** `edge-agent … --help` says what a person can type: no default an option only holds internally (an empty object or list, an object's text). */
describe('edge-agent help', () => {
  test('no command shows an internal default such as "(default: {})"', () => {
    const program = buildProgram({ env: {}, streams: { out: () => undefined, err: () => undefined } }, () => undefined);
    const leaks: string[] = [];
    for (const command of commandsOf(program)) {
      for (const line of command.helpInformation().split('\n')) {
        if (/\(default: (\{\}|\[\])\)|\[object Object\]/.test(line)) leaks.push(`${command.name()}: ${line.trim()}`);
      }
    }
    assert.deepEqual(leaks, []);
  });
});
