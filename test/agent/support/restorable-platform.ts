import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { platformCli } from '../../support/platform-cli.js';
import { restartPlatform, startTestPlatform, type TempDirs, type TestPlatform } from './agent-fixture.js';

/**
 * A test platform backed up and restored as its operator does
 * (docs/operations.md 1.11): the SQLite file copied aside while it is stopped;
 * put back while it is stopped (its -wal and -shm removed), `epoch new` run on
 * it, and started again on the same address. `p` is the platform running now.
 */
export class RestorablePlatform {
  private readonly backupFile: string;

  private constructor(public p: TestPlatform) {
    this.backupFile = join(dirname(p.dbFile), 'backup.sqlite');
  }

  static async start(temp: TempDirs): Promise<RestorablePlatform> {
    return new RestorablePlatform(await startTestPlatform(temp));
  }

  async backUp(): Promise<void> {
    await this.p.close();
    copyFileSync(this.p.dbFile, this.backupFile);
    this.p = await restartPlatform(this.p);
  }

  async restore(): Promise<void> {
    await this.p.close();
    for (const suffix of ['-wal', '-shm']) rmSync(`${this.p.dbFile}${suffix}`, { force: true });
    copyFileSync(this.backupFile, this.p.dbFile);
    const epoch = await platformCli(this.p.dbFile, ['epoch', 'new', '--yes']);
    assert.equal(epoch.code, 0, epoch.err);
    this.p = await restartPlatform(this.p);
  }

  close(): Promise<void> {
    return this.p.close();
  }
}
