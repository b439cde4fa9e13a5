import { createContext, useContext, useEffect, useId } from 'react';

/**
 * Unsaved work and leaving it. A form with typed text not yet saved (a record,
 * the settings, a conflict's choices not yet recorded) says so
 * (useUnsavedWork); moving to another screen, or back to the list, goes through
 * `leave`, which runs the move at once when nothing is unsaved and otherwise
 * after the person confirms, in the window's own dialog, that what they typed
 * may be dropped (the Shell shows it).
 */
export interface LeaveGuard {
  /** Marks (true) or clears (false) the unsaved work of one form, by its id. */
  setUnsaved(id: string, unsaved: boolean): void;
  /** Runs `go` now, or once the person has agreed to drop the unsaved work. */
  leave(go: () => void): void;
}

export const LeaveGuardContext = createContext<LeaveGuard>({ setUnsaved: () => undefined, leave: (go) => go() });

/** This component holds unsaved work while `unsaved` is true (and no longer once it unmounts). */
export function useUnsavedWork(unsaved: boolean): void {
  const id = useId();
  const { setUnsaved } = useContext(LeaveGuardContext);
  useEffect(() => {
    setUnsaved(id, unsaved);
    return () => setUnsaved(id, false);
  }, [id, unsaved, setUnsaved]);
}

/** Runs a move away from the current work, asking first when some of it is unsaved. */
export function useLeave(): (go: () => void) => void {
  return useContext(LeaveGuardContext).leave;
}
