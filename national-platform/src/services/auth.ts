import { CLOCK_SKEW_SECONDS } from '../../../sync-engine/src/protocol/limits.js';
import { uuidSchema } from '../../../sync-engine/src/protocol/records.js';
import { verifyRequest, type KeyRecord } from '../../../sync-engine/src/protocol/signing.js';
import { AgentEntity, NonceEntity, type AgentRow } from '../store/entities/agent.js';
import type { SiteRow } from '../store/entities/site.js';
import type { PlatformStore } from '../store/platform-store.js';
import { PlatformError } from './platform-error.js';
import { requireSite } from './sites.js';

/** A request as the HTTP layer read it: headers in lower case, the body as sent and as decoded. */
export interface SignedRequest {
  method: string;
  /** Rebuilt from the request's own Host header and path (the `@target-uri` the agent signed). */
  url: string;
  headers: Record<string, string>;
  /** Bytes as they came over the wire (gzip-compressed when Content-Encoding says so). */
  wireBody: Buffer;
  /** Bytes after content decoding; the same as wireBody when the body was not compressed. */
  body: Buffer;
}

/** Who sent a request, and the evidence kept with every mutation it carries. */
export interface AuthenticatedAgent {
  agent: AgentRow;
  site: SiteRow;
  signature: string;
  signatureInput: string;
  contentDigest: string;
}

const NONCE_MAX_LENGTH = 128;
const NONCE_SWEEP_EVERY_SECONDS = 60;

/**
 * Verifies RFC 9421 signatures (through the shared protocol module) and refuses
 * replays: a nonce is remembered for as long as its `created` passes the clock check.
 */
export class RequestAuthenticator {
  private lastSweep = 0;

  constructor(
    private readonly store: PlatformStore,
    private readonly now: () => Date,
    private readonly skewSeconds: number = CLOCK_SKEW_SECONDS,
  ) {}

  async authenticate(req: SignedRequest): Promise<AuthenticatedAgent> {
    let agent: AgentRow | null = null;
    const lookupKey = async (keyId: string): Promise<KeyRecord | null> => {
      if (!uuidSchema.safeParse(keyId).success) return null;
      agent = await this.store.read((em) => em.getRepository(AgentEntity).findOneBy({ id: keyId }));
      return agent ? { publicKeyPem: agent.publicKeyPem, status: agent.status } : null;
    };
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const options = { lookupKey, now: nowSeconds, skewSeconds: this.skewSeconds };
    let outcome = await verifyRequest({ method: req.method, url: req.url, headers: req.headers, body: req.wireBody }, options);
    // RFC 9530 digests the content as sent; a digest of the decoded JSON is accepted too.
    if (!outcome.ok && outcome.code === 'bad_signature' && req.wireBody !== req.body) {
      const decoded = await verifyRequest({ method: req.method, url: req.url, headers: req.headers, body: req.body }, options);
      if (decoded.ok || decoded.code !== 'bad_signature') outcome = decoded;
    }
    if (!outcome.ok) {
      const headers = outcome.code === 'clock_skew' ? { date: this.now().toUTCString() } : undefined;
      throw new PlatformError(outcome.code, outcome.message, headers ? { headers } : {});
    }
    const found = agent as AgentRow | null;
    if (!found) throw new PlatformError('unknown_agent', 'no agent has this key id');
    if (outcome.nonce.length > NONCE_MAX_LENGTH) throw new PlatformError('bad_signature', 'the signature nonce is too long');
    await this.rememberNonce(found.id, outcome.nonce, Math.max(outcome.created, nowSeconds) + this.skewSeconds + 1, nowSeconds);
    const site = await this.store.read((em) => requireSite(em, found.siteCode));
    return {
      agent: found,
      site,
      signature: outcome.signature,
      signatureInput: req.headers['signature-input'] ?? '',
      contentDigest: req.headers['content-digest'] ?? '',
    };
  }

  private async rememberNonce(agentId: string, nonce: string, expiresAt: number, nowSeconds: number): Promise<void> {
    if (nowSeconds - this.lastSweep >= NONCE_SWEEP_EVERY_SECONDS) {
      this.lastSweep = nowSeconds;
      await this.store.write((em) => em.createQueryBuilder().delete().from(NonceEntity).where('expires_at < :now', { now: nowSeconds }).execute());
    }
    try {
      await this.store.write((em) =>
        em.createQueryBuilder().insert().into(NonceEntity).values({ agentId, nonce, expiresAt }).updateEntity(false).execute(),
      );
    } catch (err) {
      // The primary key refused it: the nonce was seen within the window.
      const seen = await this.store.read((em) => em.getRepository(NonceEntity).findOneBy({ agentId, nonce }));
      if (seen) throw new PlatformError('replayed', 'this signature nonce has already been used');
      throw err;
    }
  }
}
