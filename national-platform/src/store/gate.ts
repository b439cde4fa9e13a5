/**
 * A FIFO async mutex. TypeORM's sqlite driver runs every query runner over one
 * connection, so two transactions must never interleave on it: the SQLite store
 * passes all of its work through one gate.
 */
export class Gate {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The PostgreSQL store needs no gate: the pool gives each transaction its own connection. */
export const OPEN_GATE = { run: <T>(work: () => Promise<T>): Promise<T> => work() };
