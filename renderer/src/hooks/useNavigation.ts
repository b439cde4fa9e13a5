import { createContext, useContext } from 'react';
import type { Screen } from '../model/screens.js';

export { SCREENS } from '../model/screens.js';
export type { Screen };

export const NavigationContext = createContext<(screen: Screen) => void>(() => undefined);

/** Moves the window to another screen (the overview's "needs attention" links use it). */
export function useNavigate(): (screen: Screen) => void {
  return useContext(NavigationContext);
}
