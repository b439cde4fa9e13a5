/**
 * Reads an NSIS include without NSIS: the body of one `!macro`, and the
 * commands `nsExec::Exec*` would run through it for given LogicLib conditions
 * (`${If}`, `${IfNot}`, `${ElseIf}`, `${Else}`, `${EndIf}`). A condition is
 * its text after the keyword, e.g. `${isUpdated}` or `$R2 != "0"`.
 */
export function macroBody(script: string, name: string): string[] {
  const lines = script.split(/\r?\n/).map((l) => l.trim());
  const start = lines.findIndex((l) => l === `!macro ${name}`);
  if (start === -1) throw new Error(`no !macro ${name}`);
  const end = lines.indexOf('!macroend', start);
  return lines.slice(start + 1, end).filter((l) => l !== '' && !l.startsWith(';'));
}

export function commandsRun(body: string[], holds: (condition: string) => boolean): string[] {
  /** Per open block: whether the branch now read runs, and whether an earlier branch already ran. */
  const blocks: { running: boolean; taken: boolean }[] = [];
  const enclosingRuns = () => blocks.every((b) => b.running);
  const run: string[] = [];
  for (const line of body) {
    const keyword = /^\$\{(If|IfNot|ElseIf|Else|EndIf)\}\s*(.*)$/i.exec(line);
    if (keyword) {
      const [, word = '', condition = ''] = keyword;
      switch (word.toLowerCase()) {
        case 'if':
        case 'ifnot': {
          const branch = holds(condition) !== (word.toLowerCase() === 'ifnot');
          blocks.push({ running: branch, taken: branch });
          break;
        }
        case 'elseif': {
          const block = blocks.at(-1)!;
          block.running = !block.taken && holds(condition);
          block.taken ||= block.running;
          break;
        }
        case 'else': {
          const block = blocks.at(-1)!;
          block.running = !block.taken;
          block.taken = true;
          break;
        }
        case 'endif':
          blocks.pop();
      }
      continue;
    }
    const exec = /^nsExec::Exec\w*\s+'(.*)'$/.exec(line);
    if (exec && enclosingRuns()) run.push(exec[1]!);
  }
  return run;
}

/** A command line as its words: double quotes group words and are dropped. */
export function wordsOfCommandLine(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}
