import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');

describe('npm run demo', () => {
  test('tells the whole story and ends converged with exit code 0', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', fail);
      child.on('close', (c) => done({ code: c, stdout: out, stderr: err }));
    });
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /KẾT QUẢ: ĐÃ HỘI TỤ \/ RESULT: CONVERGED/);
    for (const section of ['National platform', 'Line down: working offline', 'Sync: automatic merge and a conflict', 'A person settles the conflict', 'Summary']) {
      assert.ok(stdout.includes(section), `the demo shows "${section}"`);
    }
    assert.match(stdout, /Outbox: 0; open conflicts: 0/);
    // The conflict is named by the record the story said both sides changed, so a reader can follow it.
    const sameField = /Record (\S+): both changed "registrar", differently \(same field\)\./.exec(stdout)?.[1];
    assert.ok(sameField, stdout);
    assert.ok(stdout.includes(`Xung đột trên bản ghi ${sameField} `), stdout);
    assert.ok(stdout.includes(`Conflict on record ${sameField} `), stdout);
    // The Vietnamese lines say a run's result and a record's state in Vietnamese, not as the history's codes.
    assert.match(stdout, /Lần đồng bộ: không thành công \(network\)\./);
    assert.match(stdout, /bản ghi: chờ gửi\./);
    assert.match(stdout, /Đồng bộ lại: đã gửi 1, kết quả: thành công\./);
    const digestRows = stdout.split('\n').filter((line) => /^\s+[a-z-]+\s+match\s+\d+\/\d+\s+[0-9a-f]{32}\s+[0-9a-f]{32}$/.test(line));
    assert.equal(digestRows.length, 4, 'four datasets, each digest equal to the platform’s');
    for (const row of digestRows) {
      const [local, national] = row.trim().split(/\s+/).slice(-2);
      assert.equal(local, national);
    }
  });
});
