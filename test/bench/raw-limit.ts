import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync, gunzipSync } from 'node:zlib';
import sqlite3 from 'sqlite3';
import { parseAnswerJson } from '../../sync-engine/src/adapters/answer-json.js';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';

/**
 * The raw limit of an initial sync on this machine: the same records, as pull
 * pages of the same size, served from memory by a bare node:http server over
 * loopback, fetched one after the other, parsed, and written with plain
 * multi-row INSERTs into a sqlite3 table of the agent's columns, one
 * transaction per page, WAL and synchronous=NORMAL like the agent's store.
 * Pages are parsed the agent's way (entry by entry, answer-json.ts): a share
 * earned by parsing better than the limit does would measure nothing. No
 * signatures, no schemas, no search index, no merge: what is left is HTTP,
 * JSON and SQLite, the floor under any sync engine on the same stack.
 */
export interface PageServer {
  url: string;
  pages: number;
  close(): Promise<void>;
}

/** Serves `/page/<n>` as the platform would (gzip when asked), each page prepared before the clock starts. */
export async function startPageServer(records: readonly { id: string; data: RecordData }[], pageSize: number): Promise<PageServer> {
  const bodies: Buffer[] = [];
  const at = new Date().toISOString();
  for (let i = 0, n = 0; i < records.length; i += pageSize, n += 1) {
    const changes = records.slice(i, i + pageSize).map((r, j) => ({
      seq: i + j + 1,
      id: r.id,
      rev: 1,
      deleted: false,
      data: r.data,
      updatedAt: at,
      updatedBy: { national: true },
    }));
    bodies.push(gzipSync(JSON.stringify({ changes, cursor: `page-${n + 1}`, hasMore: i + pageSize < records.length })));
  }
  const server: Server = createServer((req, res) => {
    const n = Number(/^\/page\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
    const body = bodies[n];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pages: bodies.length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// The agent's columns for a synced record: its JSON once, the base marked "same as data" (store migration 0002).
const COLUMNS = ['dataset', 'id', 'data', 'deleted', 'rev', 'base_data', 'base_same', 'base_deleted', 'state', 'search_text', 'updated_at', 'updated_by', 'pull_gen'];
const ROWS_PER_STATEMENT = 1000;

/** Runs in the child: fetches every page and writes it; returns the records written. */
export async function rawSync(baseUrl: string, pages: number, dbFile: string): Promise<number> {
  const db = new sqlite3.Database(dbFile);
  const exec = (sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
  const run = (sql: string, params: unknown[]) => new Promise<void>((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
  await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  await exec(`CREATE TABLE "records" ("dataset" TEXT NOT NULL, "id" TEXT NOT NULL, "data" TEXT, "deleted" INTEGER NOT NULL, "rev" INTEGER,
    "base_data" TEXT, "base_same" INTEGER NOT NULL, "base_deleted" INTEGER NOT NULL, "state" TEXT NOT NULL, "search_text" TEXT NOT NULL, "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL, "pull_gen" INTEGER NOT NULL, PRIMARY KEY ("dataset", "id"))`);
  const agent = new Agent({ keepAlive: true });
  let written = 0;
  try {
    for (let n = 0; n < pages; n += 1) {
      const page = parseAnswerJson(gunzipSync(await get(agent, `${baseUrl}/page/${n}`))) as {
        changes: Array<{ id: string; rev: number; data: RecordData; updatedAt: string; updatedBy: unknown }>;
      };
      await exec('BEGIN');
      for (let i = 0; i < page.changes.length; i += ROWS_PER_STATEMENT) {
        const part = page.changes.slice(i, i + ROWS_PER_STATEMENT);
        const row = `(${COLUMNS.map(() => '?').join(', ')})`;
        await run(
          `INSERT INTO "records" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${part.map(() => row).join(', ')}
           ON CONFLICT ("dataset", "id") DO UPDATE SET "data" = excluded."data", "rev" = excluded."rev"`,
          part.flatMap((c) => {
            return ['civil-status-births', c.id, JSON.stringify(c.data), 0, c.rev, null, 1, 0, 'synced', '', c.updatedAt, JSON.stringify(c.updatedBy), 0];
          }),
        );
      }
      await exec('COMMIT');
      written += page.changes.length;
    }
  } finally {
    agent.destroy();
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
  return written;
}

function get(agent: Agent, url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`page ${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
