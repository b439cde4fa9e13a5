import type { MutationResult } from '../../../sync-engine/src/protocol/push.js';
import { ScriptedPlatform } from './scripted-platform.js';

/**
 * A ScriptedPlatform that refuses a push about a record as the reference
 * platform does when the record moved out of the office's scope (`away`:
 * rejected, `scope`) or when it no longer holds it (`purged`: its deletion
 * purged, rejected, `not_found`); every other mutation is answered as
 * `onPush` was before (by default applied). A test may wrap `onPush` again.
 */
export class RefusingPlatform extends ScriptedPlatform {
  /** Records the platform holds outside the office's scope: a push about them is rejected (scope). */
  readonly away = new Set<string>();
  /** Records the platform no longer holds (their deletion purged): a push about them is rejected (not_found). */
  readonly purged = new Set<string>();

  constructor() {
    super();
    const apply = this.onPush;
    this.onPush = (mutations) =>
      mutations.flatMap((m): MutationResult[] => {
        const refuse = (code: string, message: string): MutationResult[] => [{ mutationId: m.mutationId, status: 'rejected', errors: [{ path: '', code, message }] }];
        if (this.away.has(m.id)) return refuse('scope', 'outside this office');
        if (this.purged.has(m.id)) return refuse('not_found', 'The record does not exist on the platform.');
        return apply([m]);
      });
  }

  /** The record moves out of the office's scope: the feed says `removed` (sent once), and a push about it is refused. */
  moveAway(dataset: string, id: string): void {
    this.remove(dataset, id);
    this.away.add(id);
  }
}
