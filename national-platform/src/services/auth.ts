import { CLOCK_SKEW_SECONDS } from '../../../sync-engine/src/protocol/limits.js';
import { uuidSchema } from '../../../sync-engine/src/protocol/records.js';
import { verifyRequest, type KeyRecord, type VerifyOutcome } from '../../../sync-engine/src/protocol/signing.js';
import type { AgentRow } from '../store/entities/agent.js';
import type { SiteRow } from '../store/entities/site.js';
import type { NonceRegistry } from './nonce-registry.js';
import { PlatformError } from './platform-error.js';
import type { Signer, SignerDirectory } from './signer-directory.js';

/** A request as the HTTP layer read it: headers in lower case, the body as sent and as decoded. */
export interface SignedRequest {
  method: string;
  /** Rebuilt from the request's own Host header and path (the `@target-uri` the agent signed). */
  url: string;
  /** The same URI with the Host header as it was spelled, when that differs from `url` (see targetUri in http/server.ts). */
  urlAsSent?: string | undefined;
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
  /** The method and URI the signature covers (`@method`, `@target-uri`), as the request arrived. */
  method: string;
  targetUri: string;
}

const NONCE_MAX_LENGTH = 128;

/**
 * Verifies RFC 9421 signatures (through the shared protocol module) and refuses
 * replays: a nonce is remembered for as long as its `created` passes the clock
 * check. The signer comes from a short-lived cache and the nonce is checked in
 * memory, so authentication itself costs no transaction on the request path.
 */
export class RequestAuthenticator {
  constructor(
    private readonly signers: SignerDirectory,
    private readonly nonces: NonceRegistry,
    private readonly now: () => Date,
    private readonly skewSeconds: number = CLOCK_SKEW_SECONDS,
  ) {}

  async authenticate(req: SignedRequest): Promise<AuthenticatedAgent> {
    let signer: Signer | null = null;
    const lookupKey = async (keyId: string): Promise<KeyRecord | null> => {
      if (!uuidSchema.safeParse(keyId).success) return null;
      signer = await this.signers.find(keyId);
      return signer ? { publicKeyPem: signer.agent.publicKeyPem, status: signer.agent.status } : null;
    };
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const options = { lookupKey, now: nowSeconds, skewSeconds: this.skewSeconds };
    const verifyAt = async (url: string): Promise<VerifyOutcome> => {
      const wire = await verifyRequest({ method: req.method, url, headers: req.headers, body: req.wireBody }, options);
      // RFC 9530 digests the content as sent; a digest of the decoded JSON is accepted too.
      if (!wire.ok && wire.code === 'bad_signature' && req.wireBody !== req.body) {
        const decoded = await verifyRequest({ method: req.method, url, headers: req.headers, body: req.body }, options);
        if (decoded.ok || decoded.code !== 'bad_signature') return decoded;
      }
      return wire;
    };
    let targetUri = req.url;
    let outcome = await verifyAt(targetUri);
    // A signer that wrote the authority exactly as its Host header spells it (`host:443`) signed that.
    if (!outcome.ok && outcome.code === 'bad_signature' && req.urlAsSent !== undefined && req.urlAsSent !== req.url) {
      const asSent = await verifyAt(req.urlAsSent);
      if (asSent.ok || asSent.code !== 'bad_signature') [outcome, targetUri] = [asSent, req.urlAsSent];
    }
    if (!outcome.ok) {
      const headers = outcome.code === 'clock_skew' ? { date: this.now().toUTCString() } : undefined;
      throw new PlatformError(outcome.code, outcome.message, headers ? { headers } : {});
    }
    const found = signer as Signer | null;
    if (!found) throw new PlatformError('unknown_agent', 'no agent has this key id');
    if (outcome.nonce.length > NONCE_MAX_LENGTH) throw new PlatformError('bad_signature', 'the signature nonce is too long');
    const expiresAt = Math.max(outcome.created, nowSeconds) + this.skewSeconds + 1;
    if (!this.nonces.claim(found.agent.id, outcome.nonce, expiresAt)) {
      throw new PlatformError('replayed', 'this signature nonce has already been used');
    }
    if (!found.site) throw new PlatformError('not_found', `no site with code ${found.agent.siteCode}`);
    return {
      agent: found.agent,
      site: found.site,
      signature: outcome.signature,
      signatureInput: outcome.signatureInput,
      contentDigest: req.headers['content-digest'] ?? '',
      method: req.method.toUpperCase(),
      targetUri,
    };
  }
}
