import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sqlite3 from 'sqlite3';
import { PreparedStatements } from '../../sync-engine/src/store/prepared-statements.js';

/** A WAL database file with one table, and a count of the statements compiled on it. */
async function openDb(): Promise<{ db: sqlite3.Database; compiled: string[]; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'prepared-'));
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(join(dir, 'test.sqlite'), (error) => (error ? reject(error) : resolve(opened)));
  });
  const exec = (sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
  await exec(`PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`);
  const compiled: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string, ...rest: unknown[]) => {
    compiled.push(sql);
    return (prepare as (...args: unknown[]) => sqlite3.Statement)(sql, ...rest);
  }) as typeof db.prepare;
  return {
    db,
    compiled,
    close: async () => {
      await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('a statement is compiled once and reused: run counts the rows it changed, all returns the rows', async () => {
  const { db, compiled, close } = await openDb();
  const statements = new PreparedStatements(db);
  const insert = 'INSERT INTO t (name) VALUES (?), (?)';
  assert.equal(await statements.run(insert, ['a', 'b']), 2);
  assert.equal(await statements.run(insert, ['c', 'd']), 2);
  assert.equal(await statements.run(`UPDATE t SET name = name || '!' WHERE name IN (?, ?, ?)`, ['a', 'c', 'x']), 2);
  const rows = await statements.all<{ name: string }>('SELECT name FROM t WHERE id > ? ORDER BY id', [0]);
  assert.deepEqual(
    rows.map((r) => r.name),
    ['a!', 'b', 'c!', 'd'],
  );
  assert.deepEqual(await statements.all('SELECT name FROM t WHERE id > ? ORDER BY id', [10]), []);
  assert.equal(compiled.filter((sql) => sql === insert).length, 1, 'the INSERT was compiled once for two runs');
  assert.equal(statements.size, 3);
  await statements.close();
  await close();
});

test('past its capacity the least recently used statement is finalized, and compiled again when it comes back', async () => {
  const { db, compiled, close } = await openDb();
  const statements = new PreparedStatements(db, 2);
  const [a, b, c] = ['SELECT 1 AS v', 'SELECT 2 AS v', 'SELECT 3 AS v'];
  await statements.all(a);
  await statements.all(b);
  await statements.all(a); // a is now the most recently used
  await statements.all(c); // drops b
  assert.equal(statements.size, 2);
  assert.deepEqual(await statements.all(a), [{ v: 1 }]);
  assert.deepEqual(await statements.all(b), [{ v: 2 }]);
  assert.deepEqual(
    compiled.filter((sql) => sql.startsWith('SELECT')),
    [a, b, c, b],
  );
  await statements.close();
  await close();
});

test('SQL that does not compile is refused with SQLite’s message, is not kept, and does not stop later statements', async () => {
  const { db, close } = await openDb();
  const statements = new PreparedStatements(db);
  await assert.rejects(statements.run('INSERT INTO missing_table (x) VALUES (?)', [1]), /no such table: missing_table/);
  await assert.rejects(statements.all('SELEC nonsense'), /syntax error/);
  assert.equal(statements.size, 0);
  assert.equal(await statements.run('INSERT INTO t (name) VALUES (?)', ['ok']), 1);
  await statements.close();
  await close();
});

test('a failed step is reported, and leaves nothing open: the transaction still commits, the statement still runs', async () => {
  const { db, close } = await openDb();
  const statements = new PreparedStatements(db);
  const insert = 'INSERT INTO t (name) VALUES (?)';
  await statements.run('BEGIN');
  await statements.run(insert, ['same']);
  await assert.rejects(statements.run(insert, ['same']), /UNIQUE constraint failed: t.name/);
  await statements.run(insert, ['other']);
  await statements.run('COMMIT');
  assert.deepEqual(await statements.all('SELECT name FROM t ORDER BY id'), [{ name: 'same' }, { name: 'other' }]);
  await statements.close();
  await close();
});

test('run() of a statement that returns rows steps it to its end, so a later COMMIT is not refused', async () => {
  // Stopped at its first row, PRAGMA wal_checkpoint stays open and SQLite refuses
  // the next COMMIT with "SQL statements in progress" (found on a full disk test).
  const { db, close } = await openDb();
  const statements = new PreparedStatements(db);
  await statements.run('INSERT INTO t (name) VALUES (?), (?), (?)', ['a', 'b', 'c']);
  assert.equal(await statements.run('PRAGMA wal_checkpoint(TRUNCATE)'), 0);
  assert.equal(await statements.run('SELECT name FROM t'), 0);
  await statements.run('BEGIN');
  await statements.run('INSERT INTO t (name) VALUES (?)', ['d']);
  await statements.run('COMMIT');
  assert.deepEqual(await statements.all('SELECT COUNT(*) AS n FROM t'), [{ n: 4 }]);
  // A write that returns rows is stepped to its end too, so every row is written.
  assert.equal(await statements.run('INSERT INTO t (name) VALUES (?), (?) RETURNING id', ['e', 'f']), 0);
  assert.deepEqual(await statements.all('SELECT COUNT(*) AS n FROM t'), [{ n: 6 }]);
  await statements.close();
  await close();
});

test('callers of the same statement at once each get their own parameters and rows', async () => {
  const { db, close } = await openDb();
  const statements = new PreparedStatements(db);
  const names = Array.from({ length: 50 }, (_, i) => `name-${i}`);
  await Promise.all(names.map((name) => statements.run('INSERT INTO t (name) VALUES (?)', [name])));
  const found = await Promise.all(names.map((name) => statements.all<{ name: string }>('SELECT name FROM t WHERE name = ?', [name])));
  assert.deepEqual(
    found.map((rows) => rows.map((r) => r.name)),
    names.map((name) => [name]),
  );
  await statements.close();
  await close();
});

test('close() finalizes every statement, so the connection closes; later calls are refused', async () => {
  const { db, close } = await openDb();
  const statements = new PreparedStatements(db);
  await statements.run('INSERT INTO t (name) VALUES (?)', ['a']);
  await statements.all('SELECT * FROM t');
  await statements.close();
  assert.equal(statements.size, 0);
  await assert.rejects(statements.all('SELECT * FROM t'), /the store is closed/);
  await close(); // SQLite refuses to close a connection with statements not finalized
});
