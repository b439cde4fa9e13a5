import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../api/types.js';
import { useApi } from './useApi.js';

/** Listens to one agent event for the component's lifetime; the latest listener is always called. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const api = useApi();
  const current = useRef(listener);
  useEffect(() => {
    current.current = listener;
  });
  useEffect(() => api.on(event, (payload) => current.current(payload)), [api, event]);
}
