import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { CommandRunner, InstallOutcome } from './service-installer.js';

/** What a failed install undid, or could not undo (with the command's or the file system's complaint). */
export interface InstallRollback {
  undone: RollbackItem[];
  left: (RollbackItem & { error: string })[];
}

/** An account the install created, a file it wrote, a folder it created, or the owner it gave the data folder. */
export interface RollbackItem {
  kind: 'account' | 'file' | 'folder' | 'owner';
  name: string;
}

/** The computer before an install (systemd, launchd) changed it: what its rollback puts back. */
export interface BeforeInstall {
  definition: { path: string; content: string | null };
  dataDir: string;
  dataDirExisted: boolean;
  /** uid:gid of the data folder, null when it did not exist. */
  owner: string | null;
}

export function beforeInstall(definitionPath: string, dataDir: string): BeforeInstall {
  const existed = existsSync(dataDir);
  const info = existed ? statSync(dataDir) : null;
  return {
    definition: { path: definitionPath, content: existsSync(definitionPath) ? readFileSync(definitionPath, 'utf8') : null },
    dataDir,
    dataDirExisted: existed,
    owner: info ? `${info.uid}:${info.gid}` : null,
  };
}

/**
 * Undoes what a failed install created, and only that (a machine without
 * systemd fails at `systemctl` after `useradd` made the account and the unit
 * was written): the account if its `useradd` made it (not one that existed),
 * with the data folder given back to its former owner first; the service
 * definition (removed, or the earlier one written back); the data folder if
 * the install made it and it is still empty. What cannot be undone is listed
 * with why, for the message to say what was left.
 */
export async function rollBackInstall(before: BeforeInstall, steps: InstallOutcome['steps'], runner: CommandRunner): Promise<InstallRollback> {
  const rollback: InstallRollback = { undone: [], left: [] };
  const done = (argv0: string, argv1?: string) => steps.some((s) => s.argv[0] === argv0 && (argv1 === undefined || s.argv[1] === argv1) && s.code === 0);
  const command = async (item: RollbackItem, argv: string[]) => {
    const outcome = await runner(argv);
    if (outcome.code === 0) rollback.undone.push(item);
    else rollback.left.push({ ...item, error: `${argv.join(' ')} (${outcome.code})${outcome.stderr.trim() ? ` — ${outcome.stderr.trim()}` : ''}` });
  };
  const fileStep = (item: RollbackItem, work: () => void) => {
    try {
      work();
      rollback.undone.push(item);
    } catch (error) {
      rollback.left.push({ ...item, error: String((error as Error).message) });
    }
  };

  const { definition } = before;
  const now = existsSync(definition.path) ? readFileSync(definition.path, 'utf8') : null;
  if (now !== definition.content) {
    fileStep({ kind: 'file', name: definition.path }, () => (definition.content === null ? rmSync(definition.path, { force: true }) : writeFileSync(definition.path, definition.content, { mode: 0o644 })));
    // systemd read the unit at daemon-reload: it forgets it at the next one.
    if (done('systemctl', 'daemon-reload')) await runner(['systemctl', 'daemon-reload']);
  }

  const created = steps.find((s) => s.argv[0] === 'useradd' && s.code === 0);
  if (created) {
    const account = created.argv.at(-1) ?? '';
    if (done('chown') && before.owner !== null) await command({ kind: 'owner', name: before.dataDir }, ['chown', '-R', '-h', before.owner, before.dataDir]);
    await command({ kind: 'account', name: account }, ['userdel', account]);
  }

  if (!before.dataDirExisted && existsSync(before.dataDir) && isEmptyFolder(before.dataDir)) {
    fileStep({ kind: 'folder', name: before.dataDir }, () => rmdirSync(before.dataDir));
  }
  return rollback;
}

function isEmptyFolder(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return false;
  }
}
