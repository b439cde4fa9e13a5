import { MAX_REMEMBERED_CHARS } from '../model/new-record-values.js';

/**
 * The values this window last saved in a new record's `last-used` fields
 * (model/new-record-values.ts), per dataset and field, kept in this browser's
 * localStorage (the Electron window's too): they outlive a restart, as a
 * clerk's name should. Written only after a save went through.
 */

const KEY_PREFIX = 'edgeAgent.lastUsed.';

const keyOf = (dataset: string, field: string) => `${KEY_PREFIX}${dataset}.${field}`;

export class LastUsedValues {
  constructor(private readonly storage: Storage | null) {}

  get(dataset: string, field: string): string | undefined {
    try {
      const stored = this.storage?.getItem(keyOf(dataset, field));
      return stored && stored.length <= MAX_REMEMBERED_CHARS ? stored : undefined;
    } catch {
      return undefined;
    }
  }

  remember(dataset: string, values: ReadonlyArray<readonly [field: string, value: string]>): void {
    for (const [field, value] of values) {
      try {
        this.storage?.setItem(keyOf(dataset, field), value);
      } catch {
        // Storage may be disabled or full: the next new record then starts without it.
      }
    }
  }
}
