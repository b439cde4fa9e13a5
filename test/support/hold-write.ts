import type { AgentStore } from '../../sync-engine/src/store/agent-store.js';

/**
 * Holds `store`'s write lock as a save in progress does (a durable transaction
 * begins IMMEDIATE, then writes a settings row under `key`), until `release()`.
 * While it is held, another connection's open waits for it wherever it needs
 * the write lock: the check of records_fts (SQLite 3.44 runs FTS5's
 * integrity-check as a write; it used to say the file was damaged), a
 * migration, or the wait of a process opening beside a live lease holder.
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
