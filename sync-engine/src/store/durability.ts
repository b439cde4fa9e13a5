export interface TransactionOptions {
  /**
   * true (the default): the commit is on disk before `transaction()` resolves
   * (WAL with synchronous=FULL: the log is synced at every commit), so a change
   * a person was told is saved survives a power cut (SYNC-PROTOCOL.md,
   * guarantee 1). About 1 ms per commit here.
   *
   * false: for work the agent redoes by itself if it is lost, and only that: a
   * pulled page with its cursor (pulled again), a push batch's answers (the
   * entries are still in flight: sent again and answered `duplicate`, or
   * judged again), the sync's own bookkeeping. The commit survives a crash of
   * the process; a power cut or an OS crash may undo it, and the transactions
   * after it, never corrupt the file and never undo an earlier durable commit.
   * The next durable commit, or the idle checkpoint (which syncs the log),
   * makes it durable too; during a long sync no checkpoint comes.
   *
   * Not redoable: anything the agent tells the platform about afterwards. The
   * mark "in flight" of a push batch is durable (Outbox.nextBatch): undone, the
   * entry would be 'queued' again under a mutationId the platform may have
   * applied, a local edit would merge into it keeping that id, and the platform
   * would answer `duplicate` for data it never had, with the digest (id:rev)
   * agreeing. A durable commit also syncs every commit before it (one log), so
   * whatever a sent batch was built on is on disk too.
   */
  durable?: boolean;
  /**
   * true (the default): asked for while a long build that gives way runs (a
   * filter index: AgentStore.runGivingWay), the build is stopped and rolled
   * back, and this transaction runs after that rollback instead of after the
   * build: a person's save never waits for an index. false: bookkeeping that
   * can wait out one index (the lease's heartbeat, the health probe's
   * samples), so that it does not stop every build it meets.
   */
  preempts?: boolean;
}

/** For transactions the agent redoes by itself if a power cut undoes them (TransactionOptions.durable). */
export const REDOABLE: TransactionOptions = { durable: false };
