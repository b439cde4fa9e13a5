import { createContext, useContext } from 'react';

export const SCREENS = ['overview', 'records', 'outbox', 'conflicts', 'history', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export const NavigationContext = createContext<(screen: Screen) => void>(() => undefined);

/** Moves the window to another screen (the overview's "needs attention" links use it). */
export function useNavigate(): (screen: Screen) => void {
  return useContext(NavigationContext);
}
