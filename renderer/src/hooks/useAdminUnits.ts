import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AgentApi } from '../api/types.js';
import { useApi } from './useApi.js';
import { useEvent } from './useEvent.js';

/** The dataset whose records are the administrative units in force (x-lookup's source). */
const ADMIN_UNITS = 'admin-units';
const PAGE = 1000;

export interface AdminUnit {
  provinceCode: string;
  provinceName: string;
  communeCode: string;
  communeName: string;
}

/** The units and their names by code, as loaded. */
export interface AdminUnitIndex {
  units: readonly AdminUnit[];
  communeName(code: string): string | undefined;
  provinceName(code: string): string | undefined;
}

const EMPTY: AdminUnitIndex = { units: [], communeName: () => undefined, provinceName: () => undefined };

interface Shared {
  index: AdminUnitIndex;
  /** Asks for the units: loaded once for the window, again later only while the cache had none. */
  want(): void;
}

const AdminUnitsContext = createContext<Shared | null>(null);

/**
 * Holds the administrative units for the whole window, read from the agent's own
 * cache the first time a screen needs them (a form's code fields, a list or a
 * conflict showing a commune's name beside its code), so each form or list does
 * not read the 3,355 units again.
 */
export function AdminUnitsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [index, setIndex] = useState<AdminUnitIndex>(EMPTY);
  const loading = useRef(false);
  const loaded = useRef(false);
  /** The units changed while they were being read: read them again once that read ends. */
  const again = useRef(false);
  // Loaded once for the window, and again only when a sync brings changes to them (an administrative reform the
  // platform published: the engine checks codes against the same cached units). While none are cached (before the
  // first sync), a later demand tries again. The units shown stay until the new ones have been read whole.
  const load = useCallback(() => {
    loading.current = true;
    again.current = false;
    void loadUnits(api)
      .then((units) => {
        if (units.length === 0) return;
        loaded.current = true;
        setIndex(indexOf(units));
      })
      .finally(() => {
        loading.current = false;
        if (again.current) load();
      });
  }, [api]);
  const want = useCallback(() => {
    if (!loading.current && !loaded.current) load();
  }, [load]);
  useEvent('records.changed', (change) => {
    if (change.dataset !== ADMIN_UNITS) return;
    if (loading.current) again.current = true;
    else if (loaded.current) load();
  });
  const shared = useMemo<Shared>(() => ({ index, want }), [index, want]);
  return createElement(AdminUnitsContext.Provider, { value: shared }, children);
}

/**
 * The administrative units from the agent's own cache, for the code fields a
 * schema marks with `x-lookup`. Empty until loaded, and when the dataset is not
 * cached (a code stays a plain code and the engine still checks it).
 */
export function useAdminUnits(wanted: boolean): readonly AdminUnit[] {
  return useAdminUnitIndex(wanted).units;
}

/** The same, with names by code. */
export function useAdminUnitIndex(wanted: boolean): AdminUnitIndex {
  const shared = useContext(AdminUnitsContext);
  const loaded = (shared?.index.units.length ?? 0) > 0;
  const want = shared?.want;
  useEffect(() => {
    if (wanted && !loaded) want?.();
  }, [wanted, loaded, want]);
  return wanted && shared ? shared.index : EMPTY;
}

async function loadUnits(api: AgentApi): Promise<AdminUnit[]> {
  const out: AdminUnit[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const answer = await api.call('records.list', { dataset: ADMIN_UNITS, offset, limit: PAGE });
    if (!answer.ok) return out;
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
    if (offset + PAGE >= answer.value.total || answer.value.items.length === 0) return out;
  }
}

function indexOf(units: readonly AdminUnit[]): AdminUnitIndex {
  const communes = new Map<string, string>();
  const provinces = new Map<string, string>();
  for (const u of units) {
    if (u.communeName !== '') communes.set(u.communeCode, u.communeName);
    if (u.provinceName !== '') provinces.set(u.provinceCode, u.provinceName);
  }
  return { units, communeName: (code) => communes.get(code.trim()), provinceName: (code) => provinces.get(code.trim()) };
}
