import { execFile } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface RunningPostgres {
  /** postgres:// URL of a database created for this server. */
  url: string;
  /** Creates another empty database on the same server and returns its URL. */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function findBinDir(): string {
  const candidates = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().reverse() : [];
  candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  for (const dir of candidates) {
    try {
      accessSync(join(dir, 'initdb'), constants.X_OK);
      accessSync(join(dir, 'pg_ctl'), constants.X_OK);
      return dir;
    } catch {
      // not here
    }
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin: ' +
      'install PostgreSQL (e.g. apt-get install postgresql) to run the PostgreSQL half of the platform tests',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface PostgresOptions {
  /**
   * true: PostgreSQL's own durability settings (fsync, synchronous_commit and
   * full-page writes on, as in production), for benchmarks. Default false: a
   * test server never needs to survive a crash, so they are off.
   */
  durable?: boolean;
}

/**
 * Starts a throwaway PostgreSQL server: a fresh cluster in a temp dir, on
 * 127.0.0.1 and a free port, with fsync off unless asked (PostgresOptions). As
 * root, the server runs as the `postgres` user (initdb refuses root). A
 * missing installation fails loudly: the suite never skips.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const bin = findBinDir();
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'platform-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  writeFileSync(logFile, '');
  let owner = { uid: -1, gid: -1 };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('running as root needs a `postgres` system user to own the test cluster');
    });
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    owner = { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
    chownSync(dir, owner.uid, owner.gid);
    chownSync(logFile, owner.uid, owner.gid);
  }
  const asOwner = (cmd: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args));
  const port = await freePort();
  try {
    await asOwner('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C']);
    const fast = options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'];
    const serverOptions = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses='127.0.0.1'", ...fast].join(' ');
    await asOwner('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '60', '-o', serverOptions]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL from ${bin}: ${(err as Error).message}`);
  }
  let counter = 0;
  const newDatabase = async (): Promise<string> => {
    counter += 1;
    const name = `platform_test_${counter}`;
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return `postgres://postgres@127.0.0.1:${port}/${name}`;
  };
  const url = await newDatabase();
  let stopped = false;
  return {
    url,
    newDatabase,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await asOwner('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
