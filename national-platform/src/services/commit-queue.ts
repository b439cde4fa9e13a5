interface Waiting<J, R> {
  job: J;
  weight: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: jobs that arrive while a group is being written wait, and the
 * next group takes all of them (up to `maxWeight`) into one transaction. A job
 * that arrives when nothing runs starts at once, alone, so an idle platform
 * adds no latency; under load the fixed cost of a sequenced write (the lock,
 * the lookups, the multi-row inserts, the commit and its fsync) is paid once
 * per group instead of once per request, and no request waits behind a long
 * queue of single transactions.
 *
 * If a group fails, each of its jobs runs again alone, so one bad request
 * cannot fail the others with it.
 */
export class CommitQueue<J, R> {
  private readonly waiting: Waiting<J, R>[] = [];
  private running = false;

  constructor(
    /** Runs jobs in one transaction; answers one result per job, in order. */
    private readonly runGroup: (jobs: J[]) => Promise<R[]>,
    private readonly maxWeight: number,
  ) {}

  submit(job: J, weight: number): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ job, weight, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) await this.settle(this.take());
    } finally {
      this.running = false;
    }
  }

  /** The oldest waiting jobs, at least one, up to maxWeight in all. */
  private take(): Waiting<J, R>[] {
    const group: Waiting<J, R>[] = [];
    let weight = 0;
    for (let next = this.waiting[0]; next && (group.length === 0 || weight + next.weight <= this.maxWeight); next = this.waiting[0]) {
      group.push(next);
      weight += next.weight;
      this.waiting.shift();
    }
    return group;
  }

  private async settle(group: Waiting<J, R>[]): Promise<void> {
    try {
      const results = await this.runGroup(group.map((w) => w.job));
      group.forEach((w, i) => w.resolve(results[i] as R));
    } catch (err) {
      if (group.length === 1) {
        group[0]?.reject(err);
        return;
      }
      for (const w of group) {
        try {
          const [result] = await this.runGroup([w.job]);
          w.resolve(result as R);
        } catch (alone) {
          w.reject(alone);
        }
      }
    }
  }
}
