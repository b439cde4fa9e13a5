import assert from 'node:assert/strict';
import { test } from 'node:test';
import { communeOf, matchCommune } from '../../renderer/src/model/commune-name.js';
import { bundledAdminUnits } from '../../sync-engine/src/protocol/reference-data/index.js';

// A commune typed by its name into a commune code field (renderer/src/model/commune-name.ts).
const index = bundledAdminUnits();
const units = index.provinces().flatMap((p) => index.communesOf(p.code).map((c) => ({ provinceName: p.name, communeCode: c.code, communeName: c.name })));

test('a name one commune has reads as its code; a name several share names them, narrowed by the province typed after it', () => {
  assert.ok(units.length > 3000, `${units.length} communes`);
  assert.deepEqual(matchCommune(units, 'ngoc ha'), { code: '00008' });
  assert.deepEqual(matchCommune(units, 'Phường Hoàn Kiếm'), { code: '00070' });
  assert.deepEqual(matchCommune(units, 'phuong hoan kiem'), { code: '00070' });
  const several = matchCommune(units, 'ba dinh');
  assert.ok(several && 'several' in several);
  assert.deepEqual(
    several.several.map((u) => u.communeCode),
    ['00004', '16171', '21499'],
    'Phường Ba Đình (Hà Nội), Xã Ba Đình (Thanh Hóa), Xã Ba Dinh (Quảng Ngãi)',
  );
  assert.deepEqual(matchCommune(units, 'ba dinh ha noi'), { code: '00004' });
  assert.deepEqual(matchCommune(units, 'ba dinh thanh hoa'), { code: '16171' });
  // At most five are listed, with how many there are.
  const many = matchCommune(units, 'tan hoa');
  assert.ok(many && 'several' in many && many.several.length === 5 && many.total > 5);
  // A code, empty text and a name no commune has are left to the engine's check.
  for (const text of ['00004', '', '  ', 'khong co xa nay']) assert.equal(matchCommune(units, text), null, text);
  assert.equal(communeOf(units, ' 00004 ')?.communeName, 'Phường Ba Đình');
  assert.equal(communeOf(units, 'ba dinh'), undefined);
});
