export interface TransactionOptions {
  /**
   * true (the default): the commit is on disk before `transaction()` resolves
   * (WAL with synchronous=FULL: the log is synced at every commit), so a change
   * a person was told is saved survives a power cut (SYNC-PROTOCOL.md,
   * guarantee 1). About 1 ms per commit here.
   *
   * false: for work the agent redoes by itself if it is lost, and only that: a
   * pulled page with its cursor (pulled again), a push batch marked in flight or
   * its answers (sent again and answered `duplicate`, or judged again), the
   * sync's own bookkeeping. The commit survives a crash of the process; a power
   * cut or an OS crash may undo it, and the transactions after it, never
   * corrupt the file and never undo an earlier durable commit. The next durable
   * commit, or the idle checkpoint (which syncs the log), makes it durable too.
   */
  durable?: boolean;
}

/** For transactions the agent redoes by itself if a power cut undoes them (TransactionOptions.durable). */
export const REDOABLE: TransactionOptions = { durable: false };
