import { useMemo } from 'react';
import type { AdminUnit } from '../hooks/useAdminUnits.js';

export const PROVINCE_LIST_ID = 'lookup-province';
export const COMMUNE_LIST_ID = 'lookup-commune';

/**
 * Suggestions for code fields (x-lookup): the provinces, and the communes of the
 * province chosen in the form (all communes until one is chosen). A datalist
 * only suggests; the engine's rules decide what is valid.
 */
export function LookupLists({ units, province }: { units: readonly AdminUnit[]; province: string }) {
  const provinces = useMemo(() => {
    const seen = new Map<string, string>();
    for (const u of units) if (!seen.has(u.provinceCode)) seen.set(u.provinceCode, u.provinceName);
    return [...seen].sort(([a], [b]) => a.localeCompare(b));
  }, [units]);
  const communes = useMemo(() => {
    const inProvince = units.filter((u) => u.provinceCode === province.trim());
    return inProvince.length > 0 ? inProvince : units;
  }, [units, province]);
  if (units.length === 0) return null;
  return (
    <>
      <datalist id={PROVINCE_LIST_ID}>
        {provinces.map(([code, name]) => (
          <option key={code} value={code} label={name} />
        ))}
      </datalist>
      <datalist id={COMMUNE_LIST_ID}>
        {communes.map((u) => (
          <option key={u.communeCode} value={u.communeCode} label={u.communeName} />
        ))}
      </datalist>
    </>
  );
}
