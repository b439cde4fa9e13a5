import type { CommandName } from './types.js';

/**
 * Who acts in the web console, for the audit log's "who". The Electron window
 * and the CLI send their person's OS user name; a browser cannot know it, so
 * the person says their name once and this browser remembers it (localStorage:
 * it outlives the tab, unlike the token's sessionStorage). The engine takes it
 * as said, like the window's (sync-engine/src/api/caller.ts): it records who
 * acted and grants nothing.
 */

const NAME_KEY = 'edgeAgent.actingAs';
/** The engine's limit (cleanUserName in sync-engine/src/api/caller.ts). */
const MAX_NAME_LENGTH = 128;

/** The admin API's header for the caller's name (CALLER_USER_HEADER in sync-engine/src/api/caller.ts). */
export const ACTING_AS_HEADER = 'x-edge-agent-user';

/**
 * The commands whose handlers write their caller into the audit log
 * (sync-engine/src/service/handlers): before one of these is sent, a console
 * with no name asks for it. Reads never ask.
 */
export const AUDITED_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'records.put',
  'records.delete',
  'records.import',
  'records.export',
  'conflicts.resolve',
  'conflicts.resolveMany',
  'conflicts.resolveMatching',
  'outbox.retry',
  'outbox.discard',
  'backup.create',
  'diagnostics.export',
]);

/**
 * Whether sending `command` with `input` must wait for a name: an audited command, except the
 * import's check (records.import with dryRun), which writes nothing and records no one.
 */
export function needsActingName(command: CommandName, input: unknown): boolean {
  if (!AUDITED_COMMANDS.has(command)) return false;
  return !(command === 'records.import' && typeof input === 'object' && input !== null && (input as { dryRun?: unknown }).dryRun === true);
}

/** As the engine's cleanUserName: trimmed, 1 to 128 characters, no control characters; otherwise null. */
export function cleanActingName(raw: string): string | null {
  const name = raw.trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) return null;
  return name;
}

/** Why the name dialog is open: a change waits for it, or the person chose to change it. */
export type NamePromptReason = 'change' | 'edit';

export interface ActingAsSnapshot {
  name: string | null;
  prompt: NamePromptReason | null;
}

export class ActingAs {
  private snap: ActingAsSnapshot;
  /** Changes waiting for the dialog's answer: each gets the name, or null when the person cancels. */
  private waiting: Array<(name: string | null) => void> = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage | null) {
    this.snap = { name: this.read(), prompt: null };
  }

  /** The current state, the same object until it changes (for useSyncExternalStore). */
  readonly snapshot = (): ActingAsSnapshot => this.snap;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get name(): string | null {
    return this.snap.name;
  }

  /** Before an audited change with no name: opens the dialog and resolves with the name given, or null if cancelled. */
  ask(): Promise<string | null> {
    if (this.snap.name) return Promise.resolve(this.snap.name);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.update({ prompt: 'change' });
    });
  }

  /** The header's "Change": the same dialog, no change waiting. */
  edit(): void {
    if (!this.snap.prompt) this.update({ prompt: 'edit' });
  }

  /** Saves the name and lets any waiting change go; false (dialog still open) when it is not a name. */
  confirm(raw: string): boolean {
    const name = cleanActingName(raw);
    if (!name) return false;
    this.write(name);
    this.close(name);
    return true;
  }

  /** Closes the dialog; a change waiting for it is not sent. */
  cancel(): void {
    this.close(null);
  }

  private close(name: string | null): void {
    const waiting = this.waiting;
    this.waiting = [];
    this.update({ ...(name ? { name } : {}), prompt: null });
    for (const resolve of waiting) resolve(name);
  }

  private update(change: Partial<ActingAsSnapshot>): void {
    this.snap = { ...this.snap, ...change };
    for (const listener of [...this.listeners]) listener();
  }

  private read(): string | null {
    try {
      const stored = this.storage?.getItem(NAME_KEY);
      return stored ? cleanActingName(stored) : null;
    } catch {
      return null;
    }
  }

  private write(name: string): void {
    try {
      this.storage?.setItem(NAME_KEY, name);
    } catch {
      // Storage may be disabled or full: the name still holds for this page.
    }
  }
}

/** This browser's localStorage, or none where the browser refuses it. */
export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
