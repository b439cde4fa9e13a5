import { createHash, randomBytes } from 'node:crypto';
import { enrollmentRequestSchema, type EnrollmentResponse } from '../../../sync-engine/src/protocol/enrollment.js';
import { parseEd25519PublicKey } from '../../../sync-engine/src/protocol/signing.js';
import { uuidv7 } from '../../../sync-engine/src/protocol/uuid.js';
import { AgentEntity, EnrollmentTokenEntity, type AgentRow } from '../store/entities/agent.js';
import type { PlatformStore } from '../store/platform-store.js';
import { PlatformError } from './platform-error.js';
import { parseScope } from './scope.js';
import { requireSite } from './sites.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface TokenRequest {
  site: string;
  /** Lifetime in seconds; default one day. */
  ttlSeconds?: number;
}

/**
 * One-time enrollment tokens (only their sha-256 is stored) and the enrollment
 * that turns one into an agent with an Ed25519 key.
 */
export class EnrollmentService {
  constructor(
    private readonly store: PlatformStore,
    private readonly now: () => Date,
  ) {}

  /** Returns the plaintext token: it is shown once and never stored. */
  async createToken(request: TokenRequest): Promise<{ token: string; expiresAt: string }> {
    const ttl = request.ttlSeconds ?? 24 * 3600;
    if (!Number.isFinite(ttl) || ttl <= 0) throw new PlatformError('bad_request', 'the token lifetime must be a positive number of seconds');
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
    await this.store.write(async (em) => {
      await requireSite(em, request.site);
      await em
        .createQueryBuilder()
        .insert()
        .into(EnrollmentTokenEntity)
        .values({ tokenHash: hashToken(token), siteCode: request.site, expiresAt, usedAt: null, usedByAgent: null, createdAt: now.toISOString() })
        .updateEntity(false)
        .execute();
    });
    return { token, expiresAt };
  }

  async enroll(body: unknown): Promise<EnrollmentResponse> {
    const parsed = enrollmentRequestSchema.safeParse(body);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: `/${i.path.join('/')}`, code: i.code, message: i.message }));
      throw new PlatformError('validation_failed', 'the enrollment request is not valid', { details });
    }
    const request = parsed.data;
    if (!parseEd25519PublicKey(request.publicKey)) {
      throw new PlatformError('validation_failed', 'publicKey must be an Ed25519 public key in SPKI PEM form', {
        details: [{ path: '/publicKey', code: 'invalid_key', message: 'not an Ed25519 SPKI PEM public key' }],
      });
    }
    const now = this.now().toISOString();
    return this.store.write(async (em) => {
      const token = await em.getRepository(EnrollmentTokenEntity).findOneBy({ tokenHash: hashToken(request.token) });
      if (!token) throw new PlatformError('token_invalid', 'this enrollment token is not known to the platform');
      if (token.usedAt) throw new PlatformError('token_used', 'this enrollment token has already been used');
      if (token.expiresAt <= now) throw new PlatformError('token_expired', 'this enrollment token has expired');
      if (token.siteCode !== request.siteCode) throw new PlatformError('token_wrong_site', `this enrollment token was issued for another site, not ${request.siteCode}`);
      const site = await requireSite(em, token.siteCode);
      const agent: AgentRow = {
        id: uuidv7(Date.parse(now)),
        siteCode: site.code,
        name: request.agentName,
        publicKeyPem: request.publicKey,
        status: site.requireApproval ? 'pending' : 'active',
        createdAt: now,
        statusChangedAt: now,
      };
      // The guard on used_at makes a concurrent second use of the token update nothing.
      const used = await em
        .createQueryBuilder()
        .update(EnrollmentTokenEntity)
        .set({ usedAt: now, usedByAgent: agent.id })
        .where('token_hash = :hash AND used_at IS NULL', { hash: token.tokenHash })
        .execute();
      if (used.affected === 0) throw new PlatformError('token_used', 'this enrollment token has already been used');
      await em.createQueryBuilder().insert().into(AgentEntity).values(agent).updateEntity(false).execute();
      return { agentId: agent.id, siteCode: site.code, scope: parseScope(site.provinceCode, site.communeCodes), status: agent.status as 'active' | 'pending' };
    });
  }
}
