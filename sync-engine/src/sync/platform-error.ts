/**
 * Every way a call to the platform can fail, as one typed error with a literal
 * `kind` the engine decides on and the UI turns into a sentence (STYLE.md:
 * errors as status). Adapters map their transport's failures onto it.
 */
export type PlatformErrorKind =
  /** No answer: DNS, refused, reset, proxy unreachable. */
  | 'network'
  /** The request took longer than its timeout. */
  | 'timeout'
  /** TLS failed: certificate expired, unknown issuer, name mismatch. */
  | 'tls'
  /** The platform answered with an HTTP error status; see `status` and `code`. */
  | 'http'
  /** The answer was not what the protocol says (bad JSON, schema mismatch). */
  | 'malformed';

export interface PlatformErrorInit {
  kind: PlatformErrorKind;
  message: string;
  status?: number;
  /** Protocol error code from `{ error }` (e.g. resync_required, clock_skew). */
  code?: string;
  /** From Retry-After on 429/503. */
  retryAfterMs?: number;
  /** The platform's clock from its Date header (clock_skew diagnostics). */
  serverDate?: string;
  /**
   * This computer's clock (ms since the epoch, as the client reads it) when that
   * answer came: with `serverDate`, how far off its clock is. Not kept in toJSON:
   * a stored run says it from the run's own time.
   */
  receivedAt?: number;
  /** Transport code, e.g. ECONNREFUSED, CERT_HAS_EXPIRED. */
  cause?: string;
  /**
   * On 410 resync_required because the platform went back (`reason:
   * platform_restored`): the time of the newest change it held then, or null
   * when it did not say. Undefined for any other answer.
   */
  restoredHeadAt?: string | null;
}

export class PlatformError extends Error {
  readonly kind: PlatformErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly serverDate: string | undefined;
  readonly receivedAt: number | undefined;
  readonly causeCode: string | undefined;
  readonly restoredHeadAt: string | null | undefined;

  constructor(init: PlatformErrorInit) {
    super(init.message);
    this.name = 'PlatformError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
    this.serverDate = init.serverDate;
    this.receivedAt = init.receivedAt;
    this.causeCode = init.cause;
    this.restoredHeadAt = init.restoredHeadAt;
  }

  /** 410 resync_required: pull from the beginning and reconcile. */
  get isResyncRequired(): boolean {
    return this.status === 410 || this.code === 'resync_required';
  }

  /** 401: the agent's identity or clock is the problem; retrying as-is will not help. */
  get isAuth(): boolean {
    return this.status === 401;
  }

  /** Worth retrying later with backoff: network, timeout, 5xx, 429, 503. */
  get isRetryable(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout') return true;
    if (this.kind !== 'http' || this.status === undefined) return false;
    return this.status >= 500 || this.status === 429;
  }

  /** A plain object for sync_runs rows, events and logs. */
  toJSON(): PlatformErrorInfo {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.code !== undefined ? { code: this.code } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.serverDate !== undefined ? { serverDate: this.serverDate } : {}),
      ...(this.causeCode !== undefined ? { cause: this.causeCode } : {}),
    };
  }
}

export type PlatformErrorInfo = PlatformErrorInit;

export function isPlatformError(error: unknown): error is PlatformError {
  return error instanceof PlatformError;
}
