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
