/**
 * Whether the service still takes this web console's token. Each start of the
 * service issues a new token (`edge-agent run`), so a console page left open
 * across a restart, or opened from an old address, is refused (401) from then
 * on; a browser cannot read the token file, so only a new address from
 * `edge-agent console` lets it in again. The HTTP client marks the refusal and
 * the window says it above every screen (ConsoleAccessNotice).
 */

/** 'restarted': the page's token is refused; 'noToken': the page was opened without one. */
export type ConsoleAccessState = 'ok' | 'restarted' | 'noToken';

export class ConsoleAccess {
  private state: ConsoleAccessState = 'ok';
  private readonly listeners = new Set<() => void>();

  /** The current state (for useSyncExternalStore). */
  readonly snapshot = (): ConsoleAccessState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  refuse(state: Exclude<ConsoleAccessState, 'ok'>): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of [...this.listeners]) listener();
  }
}
