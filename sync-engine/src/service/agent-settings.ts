import type { Settings as SettingsView } from '../api/views.js';
import { settingsSchema } from '../api/views.js';
import { DEFAULT_SCHEDULE } from '../schedule/sync-schedule.js';
import type { AgentStore } from '../store/agent-store.js';
import { Settings } from '../store/key-value.js';
import type { Sql } from '../store/sql.js';

/** The admin API's port when the settings name none (loopback only). */
export const DEFAULT_ADMIN_PORT = 7420;

export const DEFAULT_SETTINGS: Readonly<SettingsView> = Object.freeze({
  platformUrl: null,
  siteCode: null,
  schedule: DEFAULT_SCHEDULE,
  proxy: null,
  language: 'vi',
  adminPort: DEFAULT_ADMIN_PORT,
});

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof SettingsView)[];

/**
 * The person's and the installer's choices, in the store's `settings` table,
 * one row per key; a key never set reads as its default. Values are checked
 * with the contract's schema on the way in and out, so a hand-edited row
 * falls back to the default instead of breaking the agent.
 */
export class AgentSettings {
  private readonly table = new Settings();

  constructor(private readonly store: AgentStore) {}

  async read(): Promise<SettingsView> {
    const stored = await this.table.all(this.store.sql);
    const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of KEYS) {
      if (!Object.hasOwn(stored, key)) continue;
      const parsed = settingsSchema.shape[key].safeParse(stored[key]);
      if (parsed.success) out[key] = parsed.data;
    }
    return out as SettingsView;
  }

  /** Writes the given keys (already validated by the caller) in one transaction; returns the new whole. */
  async write(changes: Partial<SettingsView>): Promise<SettingsView> {
    await this.store.transaction((tx) => this.writeIn(tx, changes));
    return this.read();
  }

  /** Writes the given keys (already validated by the caller) inside the caller's transaction `tx`. */
  async writeIn(tx: Sql, changes: Partial<SettingsView>): Promise<void> {
    for (const key of KEYS) {
      if (!Object.hasOwn(changes, key) || changes[key] === undefined) continue;
      await this.table.set(tx, key, changes[key]);
    }
  }
}

/** A platform address without a trailing slash, the form every door shows. */
export function normalisePlatformUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
