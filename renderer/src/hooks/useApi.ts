import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { AgentApi, ApiResult, CommandInput, CommandName, CommandOutput } from '../api/types.js';

export const ApiContext = createContext<AgentApi | null>(null);

export function useApi(): AgentApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}

export interface CommandState<C extends CommandName> {
  /** The latest answer; kept while a reload runs so the screen does not flicker. */
  result: ApiResult<CommandOutput<C>> | null;
  /** The input `result` answers: while a changed input is asked, the one before it. */
  answered: CommandInput<C> | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Read commands whose answer a sync may change with no other event to say so.
 * The catalog comes with every sync, and the national platform may have
 * published a new version of a dataset (a new field, a new status value): a
 * screen that shows the datasets reads them again when a sync finishes, so an
 * open list or form takes the new field without the window being opened again.
 */
const READ_AGAIN_AFTER_SYNC: ReadonlySet<CommandName> = new Set<CommandName>(['datasets.list']);

/**
 * Runs one read command whenever its input changes (compared by value) and on
 * reload() (and, for READ_AGAIN_AFTER_SYNC, when a sync finishes). Answers
 * that arrive after a newer request started are dropped.
 */
export function useCommand<C extends CommandName>(command: C, input: CommandInput<C> | null): CommandState<C> {
  const api = useApi();
  const [answer, setAnswer] = useState<{ result: ApiResult<CommandOutput<C>>; input: CommandInput<C> } | null>(null);
  const [loading, setLoading] = useState(input !== null);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const key = input === null ? null : JSON.stringify(input);

  useEffect(() => {
    if (key === null) return;
    const ticket = ++latest.current;
    let alive = true;
    setLoading(true);
    const input = JSON.parse(key) as CommandInput<C>;
    void api.call(command, input).then((result) => {
      if (!alive || ticket !== latest.current) return;
      setAnswer({ result, input });
      setLoading(false);
    });
    return () => {
      alive = false;
    };
  }, [api, command, key, tick]);

  useEffect(() => {
    if (!READ_AGAIN_AFTER_SYNC.has(command)) return undefined;
    return api.on('sync.finished', () => setTick((n) => n + 1));
  }, [api, command]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { result: answer?.result ?? null, answered: answer?.input ?? null, loading, reload };
}
