import type { ReactNode } from 'react';

/**
 * A polite live region that is on the page before anything is said in it: a
 * screen reader announces what changes inside a live region it already knows,
 * but often says nothing of a role="status" element that arrives with its text
 * already in it. The screen renders this always, and its outcome (a notice)
 * inside it only once there is one; a notice keyed by its action is said again
 * when the same words come back for another press.
 */
export function LiveStatus({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <div role="status" className="live-status" id={id}>
      {children}
    </div>
  );
}
