import { useEffect, useState } from 'react';
import { useApi } from './useApi.js';

/** The dataset whose records are the administrative units in force (x-lookup's source). */
const ADMIN_UNITS = 'admin-units';
const PAGE = 1000;

export interface AdminUnit {
  provinceCode: string;
  provinceName: string;
  communeCode: string;
  communeName: string;
}

/**
 * The administrative units from the agent's own cache, for the code fields a
 * schema marks with `x-lookup`. Loaded once per form; empty when the dataset
 * is not cached (the field stays a plain code box and the engine still checks it).
 */
export function useAdminUnits(wanted: boolean): readonly AdminUnit[] {
  const api = useApi();
  const [units, setUnits] = useState<readonly AdminUnit[]>([]);
  useEffect(() => {
    if (!wanted) return;
    let alive = true;
    void (async () => {
      const out: AdminUnit[] = [];
      for (let offset = 0; alive; offset += PAGE) {
        const answer = await api.call('records.list', { dataset: ADMIN_UNITS, offset, limit: PAGE });
        if (!answer.ok) return;
        for (const r of answer.value.items) {
          const d = r.data ?? {};
          if (!r.deleted && typeof d.provinceCode === 'string' && typeof d.communeCode === 'string') {
            out.push({
              provinceCode: d.provinceCode,
              provinceName: String(d.provinceName ?? ''),
              communeCode: d.communeCode,
              communeName: String(d.communeName ?? ''),
            });
          }
        }
        if (offset + PAGE >= answer.value.total || answer.value.items.length === 0) break;
      }
      if (alive) setUnits(out);
    })();
    return () => {
      alive = false;
    };
  }, [api, wanted]);
  return units;
}
