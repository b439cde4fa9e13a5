import { setFlagsFromString } from 'node:v8';

/**
 * V8 options the background agent runs with (the OS service definitions set
 * them as NODE_OPTIONS; `npm run bench` runs its agent children the same way).
 *
 * Measured on the bench's initial sync of 100,000 records (2 cores, idle):
 * V8's defaults on a machine with plenty of memory let the agent's heap grow to
 * a peak RSS of about 246 MB; with a 4 MB young generation semi-space and an
 * old-space limit it peaks at about 155 MB at the same or a better rate
 * (10,600-10,900 records/s against 9,000-10,600): short-lived page objects are
 * collected sooner and cheaper. The agent's heap in use during a sync stays
 * under about 90 MB, so 192 MB leaves room for the rest of its work (admin
 * API, searches, backups run in SQLite's own memory).
 */
export const AGENT_NODE_OPTIONS = '--max-old-space-size=192 --max-semi-space-size=4';

/**
 * V8 flags node refuses in NODE_OPTIONS, so the agent's own process sets them
 * when it starts (`edge-agent run`; the bench's agent children the same way).
 *
 * `--heap-growing-percent=100`: after each full collection the old generation
 * may double before the next (V8 picks 1.1-1.5× for a heap this small). An
 * initial sync promotes each page's records while it is applied, so with V8's
 * choice a full collection ran every 1-2 pages of 1,000. Measured on the
 * bench's initial sync of 100,000 records, six pairs of runs taken in turns:
 * agent CPU 9.1 s against 10.1 s (medians), 11,700 against 11,200 records/s,
 * peak RSS 167 against 152 MB.
 */
export const AGENT_V8_FLAGS = ['--heap-growing-percent=100'] as const;

/** Applies AGENT_V8_FLAGS to this process. The flag is read at every collection, so setting it after start takes effect. */
export function applyAgentV8Flags(): void {
  for (const flag of AGENT_V8_FLAGS) setFlagsFromString(flag);
}
