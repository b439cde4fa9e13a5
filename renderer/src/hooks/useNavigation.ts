import { createContext, useContext } from 'react';
import type { Screen } from '../model/screens.js';

export { SCREENS } from '../model/screens.js';
export type { Screen };

/** What the screen moved to opens at once: a record in its form (the Outbox's held-back change). */
export interface NavigationIntent {
  openRecord?: { dataset: string; id: string };
}

export type Navigate = (screen: Screen, intent?: NavigationIntent) => void;

export const NavigationContext = createContext<Navigate>(() => undefined);

/** Moves the window to another screen (the overview's "needs attention" links use it), perhaps to open something there. */
export function useNavigate(): Navigate {
  return useContext(NavigationContext);
}
