import type { CatalogResponse } from '../protocol/catalog.js';
import type { EnrollmentRequest, EnrollmentResponse, HealthResponse } from '../protocol/enrollment.js';
import type { DigestResponse, PullPage } from '../protocol/pull.js';
import type { Mutation, PushResponse } from '../protocol/push.js';
import type { AgentKeyPair } from '../protocol/signing.js';

/**
 * The engine's view of the national platform (SYNC-PROTOCOL.md endpoints).
 * Every method either returns an answer that passed the protocol's schemas or
 * throws a PlatformError; it never retries on its own: the engine owns retries.
 */
export interface PlatformClient {
  /** Unsigned. Also measures latency and reads the platform's clock. */
  health(): Promise<HealthProbe>;
  catalog(): Promise<CatalogResponse>;
  /** `since` null = from the beginning. */
  pull(dataset: string, since: string | null, limit: number): Promise<PullPage>;
  push(mutations: readonly Mutation[]): Promise<PushResponse>;
  digest(dataset: string): Promise<DigestResponse>;
}

export interface HealthProbe {
  body: HealthResponse;
  httpStatus: number;
  latencyMs: number;
  /** Platform clock minus local clock, from the body's `time` (ms; positive = platform ahead). */
  skewMs: number;
}

/** The one-time enrollment call (unsigned: the agent has no id yet). */
export type Enroll = (platformUrl: string, request: EnrollmentRequest) => Promise<EnrollmentResponse>;

/** Where the agent's Ed25519 key pair lives. The private key never leaves the machine. */
export interface KeyStore {
  /** The stored pair, or null before enrollment. */
  load(): Promise<AgentKeyPair | null>;
  save(pair: AgentKeyPair): Promise<void>;
  /** A reference for the credentials table (e.g. "file:agent-key.pem"). */
  readonly ref: string;
}
