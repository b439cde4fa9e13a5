import type { EventName, EventPayload } from '../api/contract.js';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/**
 * The AgentApi's events inside the service: typed by the contract, delivered
 * synchronously in subscription order. A listener that throws is reported and
 * skipped: one broken window must not stop the others, nor the engine.
 */
export class EventBus {
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  count(event?: EventName): number {
    if (event) return this.listeners.get(event)?.size ?? 0;
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}
