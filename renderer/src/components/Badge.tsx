import type { ReactNode } from 'react';
import type { Tone } from '../model/screens.js';

export type { Tone };

/**
 * A short status word on a tinted background. The word carries the meaning and
 * the shape marker (drawn by CSS per tone) repeats it, so colour is never the
 * only signal; every tone keeps AA contrast for its text.
 */
export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
