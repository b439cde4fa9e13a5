/**
 * When a service that keeps rows in memory writes them (the replay guard's
 * nonces, the agents' last-seen times): `soon()` arms one timer of `delayMs`
 * unless one is armed; `now()` writes at once. Writes never overlap: each
 * starts after the one before ended, failed or not. What a write does, and
 * what it keeps for the next one when it fails, is the service's (`write`).
 */
export class BatchedWrites {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly delayMs: number,
    private readonly write: () => Promise<void>,
  ) {}

  /** A write within `delayMs`, unless one is already due. The timer does not keep the process alive. */
  soon(): void {
    this.timer ??= setTimeout(() => void this.now(), this.delayMs).unref();
  }

  /** A write now, after any running one; the timer due is cancelled. Resolves or rejects as that write does. */
  now(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const next = this.writing.catch(() => undefined).then(() => this.write());
    this.writing = next;
    return next;
  }
}
