import type { AgentStore } from '../../sync-engine/src/store/agent-store.js';

/**
 * Holds `store`'s write lock as a save in progress does (a durable transaction
 * begins IMMEDIATE, then writes a settings row under `key`), until `release()`.
 * While it is held, another connection's open-time quick_check cannot check
 * records_fts (SQLite 3.44 runs FTS5's integrity-check as an INSERT) and used
 * to say the file was damaged.
 */
export async function holdWrite(store: AgentStore, key: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let begun!: () => void;
  const holding = new Promise<void>((resolve) => (begun = resolve));
  const write = store.transaction(async (tx) => {
    await tx.run(`INSERT OR REPLACE INTO "settings" ("key", "value") VALUES (?, '1')`, [key]);
    begun();
    await gate;
  });
  await holding;
  return {
    async release() {
      release();
      await write;
    },
  };
}
