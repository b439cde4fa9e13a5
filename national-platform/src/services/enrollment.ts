import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { enrollmentRequestSchema, type EnrollmentResponse } from '../../../sync-engine/src/protocol/enrollment.js';
import { parseEd25519PublicKey } from '../../../sync-engine/src/protocol/signing.js';
import { uuidv7, uuidv7Millis } from '../../../sync-engine/src/protocol/uuid.js';
import { AgentEntity, EnrollmentTokenEntity, type AgentRow, type EnrollmentTokenRow } from '../store/entities/agent.js';
import { readState, type PlatformStore } from '../store/platform-store.js';
import { PlatformError } from './platform-error.js';
import { parseScope } from './scope.js';
import { requireSite } from './sites.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface TokenRequest {
  site: string;
  /** Lifetime in seconds; default one day, at most MAX_TOKEN_TTL_SECONDS. */
  ttlSeconds?: number;
}

/** The longest a token may live: a token is a secret on its way to one office, not a standing credential. */
export const MAX_TOKEN_TTL_SECONDS = 30 * 86_400;

/** How `tokens list` and `tokens revoke` name a token: the start of its hash (the token itself is never kept). */
export const TOKEN_ID_LENGTH = 12;

export function tokenIdOf(tokenHash: string): string {
  return tokenHash.slice(0, TOKEN_ID_LENGTH);
}

export interface IssuedToken {
  /** The plaintext token, shown once. */
  token: string;
  id: string;
  siteCode: string;
  expiresAt: string;
}

export type TokenState = 'unused' | 'used' | 'expired' | 'revoked';

export interface TokenView {
  id: string;
  siteCode: string;
  state: TokenState;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedByAgent: string | null;
  revokedAt: string | null;
}

/** The answer to a revoked token is an expired one's: both are a token that can no longer be used, and a new one is the way on. */
const TOKEN_EXPIRED_MESSAGE = 'this enrollment token has expired or was revoked by the operator';

function viewOf(row: EnrollmentTokenRow, now: string): TokenView {
  const state: TokenState = row.usedAt ? 'used' : row.revokedAt ? 'revoked' : row.expiresAt <= now ? 'expired' : 'unused';
  return {
    id: tokenIdOf(row.tokenHash),
    siteCode: row.siteCode,
    state,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
    usedByAgent: row.usedByAgent,
    revokedAt: row.revokedAt,
  };
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
  async createToken(request: TokenRequest): Promise<IssuedToken> {
    const ttl = request.ttlSeconds ?? 24 * 3600;
    if (!Number.isFinite(ttl) || ttl <= 0) throw new PlatformError('bad_request', 'the token lifetime must be a positive number of seconds');
    if (ttl > MAX_TOKEN_TTL_SECONDS) throw new PlatformError('bad_request', `the token lifetime can be at most ${MAX_TOKEN_TTL_SECONDS / 86_400} days`);
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
    await this.store.write(async (em) => {
      await requireSite(em, request.site);
      await em
        .createQueryBuilder()
        .insert()
        .into(EnrollmentTokenEntity)
        .values({ tokenHash: hashToken(token), siteCode: request.site, expiresAt, usedAt: null, usedByAgent: null, revokedAt: null, createdAt: now.toISOString() })
        .updateEntity(false)
        .execute();
    });
    return { token, id: tokenIdOf(hashToken(token)), siteCode: request.site, expiresAt };
  }

  /** Every token issued (optionally of one site), newest first; never the token itself. */
  async listTokens(filter: { site?: string } = {}): Promise<TokenView[]> {
    const now = this.now().toISOString();
    const rows = await this.store.read(async (em) => {
      if (filter.site !== undefined) await requireSite(em, filter.site);
      return em.getRepository(EnrollmentTokenEntity).find({
        where: filter.site !== undefined ? { siteCode: filter.site } : {},
        order: { createdAt: 'DESC', tokenHash: 'ASC' },
      });
    });
    return rows.map((row) => viewOf(row, now));
  }

  /**
   * Revokes a token not yet used, named by its id (`tokens list`) or given
   * whole: enrollment then refuses it as an expired one. A used token is
   * refused (the agent it made is revoked with `agents revoke`); revoking a
   * revoked one again changes nothing.
   */
  async revokeToken(idOrToken: string): Promise<TokenView> {
    const now = this.now().toISOString();
    return this.store.write(async (em) => {
      const repo = em.getRepository(EnrollmentTokenEntity);
      const byId = new RegExp(`^[0-9a-f]{${TOKEN_ID_LENGTH}}$`).test(idOrToken);
      const rows = byId
        ? await repo.createQueryBuilder('t').where('t.token_hash LIKE :prefix', { prefix: `${idOrToken}%` }).getMany()
        : await repo.findBy({ tokenHash: hashToken(idOrToken) });
      const shown = idOrToken.length > 64 ? `${idOrToken.slice(0, 64)}…` : idOrToken;
      if (rows.length === 0) throw new PlatformError('not_found', `no enrollment token has id ${shown} (tokens list shows the ids)`);
      if (rows.length > 1) throw new PlatformError('bad_request', `more than one token has id ${shown}: give the token itself`);
      const row = rows[0]!;
      if (row.usedAt) {
        throw new PlatformError(
          'bad_request',
          `token ${tokenIdOf(row.tokenHash)} was already used on ${row.usedAt} by agent ${row.usedByAgent ?? '?'}: revoke that agent instead (agents revoke ${row.usedByAgent ?? 'ID'})`,
        );
      }
      if (row.revokedAt) return viewOf(row, now);
      // The guard on used_at: a token used while this ran stays used, and is refused above on a second try.
      const revoked = await em
        .createQueryBuilder()
        .update(EnrollmentTokenEntity)
        .set({ revokedAt: now })
        .where('token_hash = :hash AND used_at IS NULL', { hash: row.tokenHash })
        .execute();
      if (revoked.affected === 0) throw new PlatformError('bad_request', `token ${tokenIdOf(row.tokenHash)} was used meanwhile: revoke its agent instead`);
      return viewOf({ ...row, revokedAt: now }, now);
    });
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
      if (token.revokedAt || token.expiresAt <= now) throw new PlatformError('token_expired', TOKEN_EXPIRED_MESSAGE);
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
        lastSeenAt: null,
      };
      // The guard on used_at makes a concurrent second use of the token update nothing.
      const used = await em
        .createQueryBuilder()
        .update(EnrollmentTokenEntity)
        .set({ usedAt: now, usedByAgent: agent.id })
        .where('token_hash = :hash AND used_at IS NULL AND revoked_at IS NULL', { hash: token.tokenHash })
        .execute();
      if (used.affected === 0) {
        // Used or revoked by another transaction since it was read (PostgreSQL re-reads the row for the update).
        const again = await em.getRepository(EnrollmentTokenEntity).findOneBy({ tokenHash: token.tokenHash });
        if (again?.revokedAt && !again.usedAt) throw new PlatformError('token_expired', TOKEN_EXPIRED_MESSAGE);
        throw new PlatformError('token_used', 'this enrollment token has already been used');
      }
      const restoredHeadAt = request.previousAgentId === undefined ? null : await lostInRestore(em, request.previousAgentId);
      await em.createQueryBuilder().insert().into(AgentEntity).values(agent).updateEntity(false).execute();
      return {
        agentId: agent.id,
        siteCode: site.code,
        scope: parseScope(site.provinceCode, site.communeCodes),
        status: agent.status as 'active' | 'pending',
        ...(restoredHeadAt === null ? {} : { restoredHeadAt }),
      };
    });
  }
}

/**
 * The current epoch's head time when the agent an enrolling data folder had
 * before (`previousAgentId`) was lost in a restore: this platform does not know
 * it (agents are revoked, never removed), and its id, a UUID v7 of the time
 * it was enrolled, is later than the newest change the platform held when
 * `epoch new` began the epoch. What that agent created is missing here as its
 * enrollment is, and nothing can have happened to it since; the agent sends it
 * again (docs/protocol.md, Enrollment). Null otherwise: no epoch was begun
 * after a restore, or the agent is known (revoked, or enrolled again after a
 * lost key: its records are here, or left on purpose).
 */
async function lostInRestore(em: EntityManager, previousAgentId: string): Promise<string | null> {
  const { epochHeadAt } = await readState(em);
  if (epochHeadAt === null || !(uuidv7Millis(previousAgentId) > Date.parse(epochHeadAt))) return null;
  const known = await em.getRepository(AgentEntity).existsBy({ id: previousAgentId });
  return known ? null : epochHeadAt;
}
