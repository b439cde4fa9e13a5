import { createContext, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { AgentStatusView, ApiError } from '../api/types.js';
import { useCommand } from './useApi.js';
import { useEvent } from './useEvent.js';

/** Refreshes now and then even without events: ages and "next sync" move with time. */
const REFRESH_MS = 30_000;

interface StatusState {
  status: AgentStatusView | null;
  error: ApiError | null;
  reload: () => void;
}

const StatusContext = createContext<StatusState>({ status: null, error: null, reload: () => undefined });

/** One status for the whole window: fetched once, then kept current from `status.changed`. */
export function StatusProvider({ children }: { children: ReactNode }) {
  const { result, reload } = useCommand('status.get', {});
  const [pushed, setPushed] = useState<AgentStatusView | null>(null);

  useEffect(() => {
    if (result?.ok) setPushed(result.value);
  }, [result]);
  useEvent('status.changed', setPushed);
  useEvent('sync.finished', reload);
  useEvent('conflicts.changed', reload);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const error = result && !result.ok ? result.error : null;
  return <StatusContext.Provider value={{ status: pushed, error, reload }}>{children}</StatusContext.Provider>;
}

export function useStatus(): StatusState {
  return useContext(StatusContext);
}
