import type { ReactNode } from 'react';
import type { useTranslation } from 'react-i18next';
import type { AdminUnit } from '../hooks/useAdminUnits.js';
import { communeOf, matchCommune } from '../model/commune-name.js';
import { formerProvinceOf, matchProvince, provinceOf } from '../model/province-name.js';
import type { FormerProvince } from '../model/province-name.js';
import type { FieldSpec } from '../model/schema-form.js';

type TFunction = ReturnType<typeof useTranslation>['t'];

/**
 * The code a name typed into a commune or province code field names, read as
 * the field is left; null when the text names none or several (kept as typed).
 */
export function unitCodeOf(spec: FieldSpec, units: readonly AdminUnit[], text: string): string | null {
  const match = spec.lookup === 'commune' ? matchCommune(units, text) : spec.lookup === 'province' ? matchProvince(units, text) : null;
  return match && 'code' in match ? match.code : null;
}

/**
 * Under a commune or province code field: the unit the code names; or, for a
 * name several share, which (once the field was left); for a province merged
 * on 2025-07-01, typed by its name or its pre-2025 code, the province it is
 * now part of and that one's code. Null when there is nothing to say.
 */
export function unitNote(spec: FieldSpec, text: string, touched: boolean, units: readonly AdminUnit[], t: TFunction): ReactNode {
  if (units.length === 0) return null;
  if (spec.lookup === 'commune') return communeNote(text, touched, units, t);
  if (spec.lookup === 'province') return provinceNote(text, touched, units, t);
  return null;
}

function communeNote(text: string, touched: boolean, units: readonly AdminUnit[], t: TFunction): ReactNode {
  const unit = communeOf(units, text);
  if (unit) return <span translate="no">{`${unit.communeName}, ${unit.provinceName}`}</span>;
  const match = touched ? matchCommune(units, text) : null;
  if (!match || !('several' in match)) return null;
  return (
    <>
      <p>{t('form.commune.several', { n: match.total, text: text.trim() })}</p>
      <ul translate="no">
        {match.several.map((u) => (
          <li key={u.communeCode}>{`${u.communeCode} ${u.communeName} (${u.provinceName})`}</li>
        ))}
      </ul>
      {match.total > match.several.length ? <p>{t('form.commune.more', { n: match.total - match.several.length })}</p> : null}
      <p>{t('form.commune.narrow')}</p>
    </>
  );
}

function provinceNote(text: string, touched: boolean, units: readonly AdminUnit[], t: TFunction): ReactNode {
  const unit = provinceOf(units, text);
  if (unit) return <span translate="no">{unit.provinceName}</span>;
  const former = formerProvinceOf(units, text);
  if (former) return <p>{withNames(t('form.province.formerCode', { code: former.code, ...NAMES, nowCode: former.into }), namesOf(former, units))}</p>;
  const match = touched ? matchProvince(units, text) : null;
  if (!match) return null;
  if ('former' in match) return <p>{withNames(t('form.province.merged', { ...NAMES, nowCode: match.former.into }), namesOf(match.former, units))}</p>;
  if (!('several' in match)) return null;
  return (
    <>
      <p>{t('form.province.several', { n: match.total, text: text.trim() })}</p>
      <ul translate="no">
        {match.several.map((u) => (
          <li key={u.provinceCode}>{`${u.provinceCode} ${u.provinceName}`}</li>
        ))}
      </ul>
      {match.total > match.several.length ? <p>{t('form.province.more', { n: match.total - match.several.length })}</p> : null}
      <p>{t('form.province.narrow')}</p>
    </>
  );
}

/** Where a message's province names go: they are data, not words to translate (each in a translate="no" span). */
const NAMES = { former: '\ue000', now: '\ue001' };

/** A pre-2025 province's name, and the name of the province in force it is part of (its code while the cache has none). */
function namesOf(former: FormerProvince, units: readonly AdminUnit[]): [string, string] {
  return [former.name, provinceOf(units, former.into)?.provinceName ?? former.into];
}

function withNames(words: string, [former, now]: [string, string]): ReactNode {
  return words.split(/([\ue000\ue001])/).map((part, i) =>
    part === NAMES.former || part === NAMES.now ? (
      <span key={i} translate="no">
        {part === NAMES.former ? former : now}
      </span>
    ) : (
      part
    ),
  );
}
