import assert from 'node:assert/strict';
import { chownSync, lstatSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { handBackToFolderOwner, type OwnershipFs } from '../../sync-engine/src/ops/data-ownership.js';
import { TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

const IS_ROOT = typeof process.geteuid === 'function' && process.geteuid() === 0;
/** `nobody` on Debian and most Linux; only a number is needed, not an account. */
const THROWAWAY = 65534;

interface FakeEntry {
  uid: number;
  gid: number;
  dir?: boolean;
}

/** An in-memory tree: path -> owner; directories list their children by prefix. */
function fakeFs(tree: Record<string, FakeEntry>, euid: number | null): OwnershipFs & { chowned: string[] } {
  const chowned: string[] = [];
  const entry = (path: string) => {
    const e = tree[path];
    if (!e) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return { uid: e.uid, gid: e.gid, isDirectory: () => e.dir === true };
  };
  return {
    chowned,
    euid: () => euid,
    stat: entry,
    lstat: entry,
    readdir: (path) => Object.keys(tree).filter((p) => p.startsWith(`${path}/`) && !p.slice(path.length + 1).includes('/')).map((p) => p.slice(path.length + 1)),
    lchown: (path, uid, gid) => {
      chowned.push(path);
      tree[path] = { ...tree[path]!, uid, gid };
    },
  };
}

/** Every entry under `dir` (not following links) with its owner. */
function owners(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (path: string) => {
    for (const name of readdirSync(path)) {
      const entry = join(path, name);
      const st = lstatSync(entry);
      out.set(entry.slice(dir.length + 1), st.uid);
      if (st.isDirectory()) visit(entry);
    }
  };
  visit(dir);
  return out;
}

describe('data folder ownership after a command run as root', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test("root's new files in a folder the service's account owns go back to that account; other accounts' files stay", () => {
    const tree: Record<string, FakeEntry> = {
      '/d': { uid: 990, gid: 991, dir: true },
      '/d/agent.sqlite': { uid: 0, gid: 0 },
      '/d/agent.sqlite-wal': { uid: 0, gid: 0 },
      '/d/agent-key.pem': { uid: 0, gid: 0 },
      '/d/logs': { uid: 0, gid: 0, dir: true },
      '/d/logs/agent.log': { uid: 0, gid: 0 },
      '/d/backups': { uid: 990, gid: 991, dir: true },
      '/d/backups/auto-1.tar.gz': { uid: 990, gid: 991 },
      '/d/someone-elses': { uid: 1000, gid: 1000 },
    };
    const fs = fakeFs(tree, 0);
    const result = handBackToFolderOwner('/d', fs);
    assert.deepEqual(result.owner, { uid: 990, gid: 991 });
    assert.equal(result.changed, 5);
    assert.deepEqual(result.failures, []);
    assert.deepEqual(fs.chowned.sort(), ['/d/agent-key.pem', '/d/agent.sqlite', '/d/agent.sqlite-wal', '/d/logs', '/d/logs/agent.log']);
    assert.equal(tree['/d/someone-elses']!.uid, 1000);
  });

  test("--home pointed at a person's own folder: only the agent's entries go to that person, root's other files stay root's", () => {
    const tree: Record<string, FakeEntry> = {
      '/home/lan': { uid: 1000, gid: 1000, dir: true },
      '/home/lan/agent.sqlite': { uid: 0, gid: 0 },
      '/home/lan/agent.sqlite-shm': { uid: 0, gid: 0 },
      '/home/lan/agent-key.pem.4242.tmp': { uid: 0, gid: 0 },
      '/home/lan/admin-token': { uid: 0, gid: 0 },
      '/home/lan/admin-api.json': { uid: 0, gid: 0 },
      '/home/lan/pre-restore-2026-11-27T22-11-20-939Z': { uid: 0, gid: 0, dir: true },
      '/home/lan/pre-restore-2026-11-27T22-11-20-939Z/agent.sqlite': { uid: 0, gid: 0 },
      '/home/lan/.ssh': { uid: 0, gid: 0, dir: true },
      '/home/lan/.ssh/authorized_keys': { uid: 0, gid: 0 },
      '/home/lan/projects': { uid: 1000, gid: 1000, dir: true },
      '/home/lan/projects/root-made.txt': { uid: 0, gid: 0 },
      '/home/lan/agent.sqlite.bak': { uid: 0, gid: 0 },
    };
    const fs = fakeFs(tree, 0);
    const result = handBackToFolderOwner('/home/lan', fs);
    assert.deepEqual(fs.chowned.sort(), [
      '/home/lan/admin-api.json',
      '/home/lan/admin-token',
      '/home/lan/agent-key.pem.4242.tmp',
      '/home/lan/agent.sqlite',
      '/home/lan/agent.sqlite-shm',
      '/home/lan/pre-restore-2026-11-27T22-11-20-939Z',
      '/home/lan/pre-restore-2026-11-27T22-11-20-939Z/agent.sqlite',
    ]);
    assert.equal(result.changed, 7);
    for (const kept of ['/home/lan/.ssh', '/home/lan/.ssh/authorized_keys', '/home/lan/projects/root-made.txt', '/home/lan/agent.sqlite.bak']) {
      assert.equal(tree[kept]!.uid, 0, `${kept} stays root's`);
    }
  });

  test('nothing changes when not root, on Windows, in a folder root owns, or with no folder at all', () => {
    const tree = (): Record<string, FakeEntry> => ({ '/d': { uid: 990, gid: 991, dir: true }, '/d/agent.sqlite': { uid: 0, gid: 0 } });
    for (const euid of [1000, null]) {
      const fs = fakeFs(tree(), euid);
      assert.equal(handBackToFolderOwner('/d', fs).owner, null);
      assert.deepEqual(fs.chowned, []);
    }
    const rootOwned = fakeFs({ '/d': { uid: 0, gid: 0, dir: true }, '/d/agent.sqlite': { uid: 0, gid: 0 } }, 0);
    assert.equal(handBackToFolderOwner('/d', rootOwned).owner, null);
    assert.deepEqual(rootOwned.chowned, []);
    assert.equal(handBackToFolderOwner('/missing', fakeFs({}, 0)).owner, null);
  });

  test('a file that vanished meanwhile is not a failure; one that cannot be changed is reported', () => {
    const fs = fakeFs({ '/d': { uid: 990, gid: 991, dir: true }, '/d/agent.sqlite': { uid: 0, gid: 0 } }, 0);
    const listing = fs.readdir;
    fs.readdir = (path) => [...listing(path), 'agent.sqlite-shm'];
    assert.deepEqual(handBackToFolderOwner('/d', fs).failures, []);
    assert.deepEqual(fs.chowned, ['/d/agent.sqlite']);
    const readOnly = fakeFs({ '/d': { uid: 990, gid: 991, dir: true }, '/d/agent.sqlite': { uid: 0, gid: 0 } }, 0);
    readOnly.lchown = () => {
      throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    };
    assert.deepEqual(handBackToFolderOwner('/d', readOnly).failures, [{ path: '/d/agent.sqlite', message: 'EROFS: read-only file system' }]);
  });

  test(
    IS_ROOT
      ? 'as root, init, backup and restore in a folder owned by another account leave every file owned by that account (a link is not followed)'
      : 'as root, init, backup and restore in a folder owned by another account leave every file owned by it (skipped: this test needs root)',
    { skip: !IS_ROOT },
    async () => {
      const home = temp.make('owned-home-');
      const outside = join(temp.make('outside-'), 'not-the-agents');
      writeFileSync(outside, 'root keeps this');
      symlinkSync(outside, join(home, 'a-link'));
      chownSync(home, THROWAWAY, THROWAWAY);
      const init = await cli(home, ['--json', 'init', '--platform', 'https://ndxp.example.gov.vn', '--site', 'HN-01']);
      assert.equal(init.code, 0, init.stderr);
      const backup = join(temp.make('backup-'), 'b.tar.gz');
      const made = await cli(home, ['--json', 'backup', backup]);
      assert.equal(made.code, 0, made.stderr);
      const restored = await cli(home, ['--json', 'restore', backup]);
      assert.equal(restored.code, 0, restored.stderr);

      const seen = owners(home);
      assert.equal(seen.get('agent.sqlite'), THROWAWAY, 'the database belongs to the folder owner');
      assert.ok([...seen.keys()].some((p) => p.startsWith('pre-restore-')), 'restore kept the previous files');
      assert.equal(seen.get('a-link'), 0, 'the link is not the agent\'s: root keeps it');
      seen.delete('a-link');
      for (const [path, uid] of seen) assert.equal(uid, THROWAWAY, `${path} belongs to uid ${THROWAWAY}`);
      assert.equal(lstatSync(outside).uid, 0, 'the link target outside the folder is untouched');
    },
  );
});
