import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformCli as cli } from '../support/platform-cli.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A platform with one site scoped to two communes of Thái Nguyên (19). */
async function platformWithSite(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'platform-scope-'));
  dirs.push(dir);
  const db = join(dir, 'platform.sqlite');
  const added = await cli(db, ['sites', 'add', 'TN-01', '--province', '19', '--name', 'UBND xã', '--communes', '05500,05503']);
  assert.equal(added.code, 0, added.err);
  return db;
}

async function scopeOf(db: string): Promise<{ scope: unknown; scopeVersion: number }> {
  const [site] = JSON.parse((await cli(db, ['sites', 'list', '--json'])).out) as { scope: unknown; scopeVersion: number }[];
  return { scope: site?.scope, scopeVersion: site?.scopeVersion ?? 0 };
}

test('sites scope without --communes widens nothing: it asks for --communes or --whole-province and changes nothing', async () => {
  const db = await platformWithSite();
  const forgotten = await cli(db, ['sites', 'scope', 'TN-01', '--province', '19']);
  assert.equal(forgotten.code, 1);
  assert.equal(forgotten.err, 'error: give --communes CODE,CODE (the site\'s communes) or --whole-province (all of province 19), one of the two; nothing was changed\n');
  const both = await cli(db, ['sites', 'scope', 'TN-01', '--province', '19', '--communes', '05500', '--whole-province']);
  assert.equal(both.code, 1);
  assert.match(both.err, /one of the two/);
  const vi = await cli(db, ['sites', 'scope', 'TN-01', '--province', '19'], '', 'vi');
  assert.equal(vi.err, 'lỗi: hãy ghi --communes MÃ,MÃ (các xã của đơn vị) hoặc --whole-province (cả tỉnh 19), một trong hai; không có gì bị thay đổi\n');
  assert.deepEqual(await scopeOf(db), { scope: { provinceCode: '19', communeCodes: ['05500', '05503'] }, scopeVersion: 1 });
});

test('sites scope says the scope before and after, and what the agents do; an unchanged one says so', async () => {
  const db = await platformWithSite();
  const widened = await cli(db, ['sites', 'scope', 'TN-01', '--province', '19', '--whole-province']);
  assert.equal(widened.code, 0, widened.err);
  assert.equal(
    widened.out,
    'site TN-01: scope version 1 → 2, was province 19, communes 05500,05503, now province 19, the whole province; ' +
      'at their next sync its agents receive the records the new scope adds and remove from their computers the ones it leaves out (one with a change still to send is kept, marked)\n',
  );
  assert.deepEqual(await scopeOf(db), { scope: { provinceCode: '19' }, scopeVersion: 2 });
  const again = await cli(db, ['sites', 'scope', 'TN-01', '--province', '19', '--whole-province']);
  assert.equal(again.out, 'site TN-01: scope unchanged (province 19, the whole province), still version 2\n');
  const narrowed = await cli(db, ['sites', 'scope', 'TN-01', '--province', '19', '--communes', '05503'], '', 'vi');
  assert.equal(narrowed.code, 0, narrowed.err);
  assert.match(narrowed.out, /^đơn vị TN-01: phạm vi phiên bản 2 → 3, trước là tỉnh 19, cả tỉnh, nay là tỉnh 19, các xã 05503; ở lần đồng bộ tới/);
});
