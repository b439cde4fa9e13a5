import { equalJitterDelay } from '../domain/backoff.js';
import { assessHealth, latencySeries, type HealthAssessment, type HealthOptions, type LatencyBucket, type ProbeSample } from '../domain/health.js';
import type { Clock, Timer, TimerHandle } from '../schedule/ports.js';
import type { AgentStore } from '../store/agent-store.js';
import { REDOABLE } from '../store/durability.js';
import { Credentials } from '../store/key-value.js';
import { HealthSamples } from '../store/health-samples.js';
import { isPlatformError } from '../sync/platform-error.js';
import type { PlatformClient } from '../sync/ports.js';
import { sampleFromError, sampleFromProbe, STICKY_AUTH_CODES } from './probe-samples.js';

export interface HealthMonitorOptions {
  store: AgentStore;
  clock: Clock;
  timer: Timer;
  /** In [0, 1), for the jitter of the probes' backoff while the platform does not answer. */
  random: () => number;
  /** The platform client, or null while the agent is not set up (nothing to probe). */
  client: () => PlatformClient | null | Promise<PlatformClient | null>;
  /** Between probes while the platform answers. Default 60 s. */
  intervalMs?: number;
  /**
   * The longest wait after the first probe that failed. Default 15 s; it doubles at each further failure, up to
   * failingIntervalCapMs. Each wait is jittered: between half of it and all of it.
   */
  failingIntervalMs?: number;
  /** The longest wait between probes while the platform does not answer. Default 5 min (the default sync schedule). */
  failingIntervalCapMs?: number;
  /** Samples older than this are deleted from the store. Default 7 days. */
  retentionMs?: number;
  assess?: HealthOptions;
  onError?: (error: unknown) => void;
}

export type HealthListener = {
  /** The state or its reason changed. */
  changed?: (assessment: HealthAssessment) => void;
  /** A probe got an answer after one that did not: the scheduler may try at once. */
  answering?: () => void;
};

const WINDOW_MS = 24 * 3_600_000;
const AUTH_PROBLEM_KEY = 'authProblem';
const PRUNE_EVERY_MS = 3_600_000;
/** Failures of signed calls that describe the connection or this agent's standing, recorded as samples. */
const CONNECTION_CODES: ReadonlySet<string> = new Set([...STICKY_AUTH_CODES, 'network', 'timeout', 'tls', 'maintenance', 'rate_limited', 'server_error']);

/**
 * Watches the connection (PRODUCT.md, Overview): probes GET /v1/health,
 * keeps every sample in `health_samples` (a week of them), and judges the
 * state with the domain's assessHealth.
 *
 * The health probe is unsigned, so it cannot see that this agent was revoked
 * or that its signatures are refused. Signed calls during sync report their
 * outcome through `noteSignedCall`; a refusal of the agent's identity or clock
 * sticks (in memory and in the credentials table, so a new process sees it)
 * until a signed call succeeds, and is judged as the latest sample.
 */
export class HealthMonitor {
  private samples: ProbeSample[] = [];
  private authProblem: ProbeSample | null = null;
  private handle: TimerHandle | null = null;
  private stopped = true;
  private lastPruneAt = 0;
  /** Probes in a row that failed (the background probes' backoff). */
  private failedProbes = 0;
  private last: HealthAssessment;
  private readonly listeners = new Set<HealthListener>();
  private readonly table = new HealthSamples();
  private readonly credentials = new Credentials();

  constructor(private readonly options: HealthMonitorOptions) {
    this.last = this.assessment();
  }

  /** Reads the last day of samples and any standing refusal from the store. */
  async load(): Promise<void> {
    const now = this.options.clock.now();
    const since = new Date(now - WINDOW_MS).toISOString();
    const rows = await this.table.since(this.options.store.sql, since);
    // Refusals of identity live in `authProblem`; the series is about the connection, in the order it was measured.
    // A sample dated after now was taken while this computer's clock was ahead, since set back (set right, say): its
    // clock reading is out of date, and judged as the latest it would say for hours that the clock is still wrong.
    // What it saw of the connection still counts, as of now.
    this.samples = rows
      .map((r) => ({ ...r, at: Date.parse(r.at) }))
      .map((r) => (r.at > now ? { ...r, at: now, skewMs: null } : r))
      .filter((r) => r.errorCode === null || !STICKY_AUTH_CODES.has(r.errorCode));
    const stored = await this.credentials.get(this.options.store.sql, AUTH_PROBLEM_KEY);
    this.authProblem = stored ? (JSON.parse(stored) as ProbeSample) : null;
    this.reassess();
  }

  /** Probes now, then every interval. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.probeAndArm();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== null) this.options.timer.clear(this.handle);
    this.handle = null;
  }

  on(listener: HealthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One probe of GET /v1/health; null when there is no platform to probe. */
  async probe(): Promise<ProbeSample | null> {
    let client: PlatformClient | null;
    try {
      client = await this.options.client();
    } catch (error) {
      // No client could be made for a reason of the connection (a CA file of the settings unusable): that is this probe's failure.
      if (!isPlatformError(error)) throw error;
      const sample = sampleFromError(error, this.options.clock.now());
      await this.record(sample);
      return sample;
    }
    if (!client) return null;
    const started = this.options.clock.now();
    let sample: ProbeSample;
    try {
      sample = sampleFromProbe(await client.health(), this.options.clock.now());
    } catch (error) {
      const now = this.options.clock.now();
      sample = sampleFromError(error, now, Math.max(0, now - started));
    }
    await this.record(sample);
    return sample;
  }

  /**
   * The outcome of a signed call (catalog, push, pull, digest). Success clears a
   * standing refusal; a refusal of identity or clock becomes one; trouble
   * reaching the platform is recorded like a failed probe.
   */
  async noteSignedCall(outcome: { ok: true } | { ok: false; error: unknown }): Promise<void> {
    if (outcome.ok) {
      if (this.authProblem === null) return;
      this.authProblem = null;
      await this.options.store.transaction((tx) => tx.run('DELETE FROM "credentials" WHERE "key" = ?', [AUTH_PROBLEM_KEY]));
      this.reassess();
      return;
    }
    const sample = sampleFromError(outcome.error, this.options.clock.now());
    // A refusal of one request (410 resync, 413, 403 on a dataset) says nothing about the connection.
    if (sample.errorCode === null || !CONNECTION_CODES.has(sample.errorCode)) return;
    if (STICKY_AUTH_CODES.has(sample.errorCode)) {
      this.authProblem = sample;
      await this.options.store.transaction((tx) => this.credentials.set(tx, AUTH_PROBLEM_KEY, JSON.stringify(sample)));
    }
    await this.record(sample);
  }

  /**
   * A new enrollment: a pending agent is refused until an operator approves it
   * (shown as such, not as a connection problem); an active one starts clean.
   */
  async noteEnrollment(status: 'active' | 'pending'): Promise<void> {
    const now = this.options.clock.now();
    this.authProblem = status === 'pending' ? { at: now, ok: false, latencyMs: null, httpStatus: 401, errorCode: 'agent_pending', skewMs: null } : null;
    const problem = this.authProblem;
    await this.options.store.transaction(async (tx) => {
      if (problem) await this.credentials.set(tx, AUTH_PROBLEM_KEY, JSON.stringify(problem));
      else await tx.run('DELETE FROM "credentials" WHERE "key" = ?', [AUTH_PROBLEM_KEY]);
    });
    this.reassess();
  }

  /** The standing refusal of this agent's identity or clock, if any. */
  get refusal(): string | null {
    return this.authProblem?.errorCode ?? null;
  }

  assessment(): HealthAssessment {
    const now = this.options.clock.now();
    const series = this.authProblem ? [...this.samples, { ...this.authProblem, at: Math.max(this.authProblem.at, this.samples.at(-1)?.at ?? 0) }] : this.samples;
    return assessHealth(series, now, this.options.assess);
  }

  latency(buckets = 48): LatencyBucket[] {
    return latencySeries(this.samples, this.options.clock.now(), WINDOW_MS, buckets);
  }

  /**
   * Stores a sample. A refusal of identity is stored for the record but kept out
   * of the in-memory series: it is judged through `authProblem` while it stands,
   * and once it is lifted it must not read as an unstable connection.
   */
  private async record(sample: ProbeSample): Promise<void> {
    const previous = this.samples.at(-1);
    const now = this.options.clock.now();
    if (sample.errorCode === null || !STICKY_AUTH_CODES.has(sample.errorCode)) this.samples.push(sample);
    this.samples = this.samples.filter((s) => s.at > now - WINDOW_MS);
    await this.options.store.transaction(async (tx) => {
      await this.table.record(tx, { ...sample, at: new Date(sample.at).toISOString() });
      if (now - this.lastPruneAt >= PRUNE_EVERY_MS) {
        this.lastPruneAt = now;
        await this.table.prune(tx, new Date(now - (this.options.retentionMs ?? 7 * 24 * 3_600_000)).toISOString());
      }
      // A sample can wait out a filter index being built (it does not stop the build: AgentStore.runGivingWay).
    }, { ...REDOABLE, preempts: false });
    this.reassess();
    if (sample.ok && previous !== undefined && !previous.ok) for (const l of [...this.listeners]) l.answering?.();
  }

  private reassess(): void {
    const next = this.assessment();
    const changed = next.state !== this.last.state || next.reason.code !== this.last.reason.code;
    this.last = next;
    if (changed) for (const l of [...this.listeners]) l.changed?.(next);
  }

  /**
   * Sooner after a failure than while all is well, to see the platform back
   * quickly after a blip, but backing off while it stays down: at most 15 s
   * doubling to at most 5 min, so a week's outage is probed some 2,700 times,
   * not 40,000 (every office at once against a platform coming back up). Each
   * wait is equal-jittered, between half of its bound and the bound: offices
   * that lost the platform at the same moment drift apart instead of probing
   * in lock-step, and so do not all start their catch-up in the same minute.
   * Once the platform answers, the scheduler syncs at once
   * (platformAnswering): a catch-up after a long outage starts no later than
   * the default schedule's next tick would.
   */
  private failingWait(): number {
    const first = this.options.failingIntervalMs ?? 15_000;
    const cap = Math.max(first, this.options.failingIntervalCapMs ?? 300_000);
    return equalJitterDelay(this.failedProbes - 1, this.options.random, { baseMs: first, capMs: cap });
  }

  private async probeAndArm(): Promise<void> {
    let ok = true;
    try {
      ok = (await this.probe())?.ok ?? true;
    } catch (error) {
      this.options.onError?.(error);
    }
    if (this.stopped) return;
    this.failedProbes = ok ? 0 : this.failedProbes + 1;
    const wait = ok ? (this.options.intervalMs ?? 60_000) : this.failingWait();
    this.handle = this.options.timer.set(() => {
      this.handle = null;
      void this.probeAndArm();
    }, wait);
  }
}
