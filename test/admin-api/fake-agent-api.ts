import type { AgentApi, ApiResult, CommandName, EventName, EventPayload } from '../../sync-engine/src/api/index.js';

/**
 * A small in-memory AgentApi for door tests: answers come from a table, every
 * call is recorded, and `emit` pushes an event to current listeners.
 */
export type FakeAgentApi = AgentApi & {
  calls: { command: CommandName; input: unknown }[];
  answers: Partial<Record<CommandName, (input: unknown) => ApiResult<unknown> | Promise<ApiResult<unknown>>>>;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  listenerCount(event?: EventName): number;
};

export function createFakeAgentApi(): FakeAgentApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const fake: FakeAgentApi = {
    calls: [],
    answers: {},
    async call(command, input) {
      fake.calls.push({ command, input });
      const answer = fake.answers[command];
      if (!answer) return { ok: false, error: { code: 'not_found', messages: { vi: 'không có', en: 'none' } } };
      return (await answer(input)) as never;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      return () => set.delete(entry);
    },
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
    },
    listenerCount(event) {
      if (event) return listeners.get(event)?.size ?? 0;
      return [...listeners.values()].reduce((n, s) => n + s.size, 0);
    },
  };
  return fake;
}

export const sampleStatus: EventPayload<'status.changed'> = {
  enrollment: 'active',
  siteCode: 'HN-01',
  platformUrl: 'https://ndxp.example.gov.vn',
  health: { state: 'online', reason: { vi: 'Kết nối tốt', en: 'Connection is good' }, code: 'ok', latencyMs: 42, at: null },
  latency: [],
  syncing: false,
  lastSync: null,
  lastSuccessAt: null,
  nextSyncAt: null,
  leaseHeldBy: null,
  outbox: { depth: 0, oldestAt: null, quarantined: 0 },
  openConflicts: 0,
  rejected: 0,
  platformFaults: 0,
  datasets: [],
};
