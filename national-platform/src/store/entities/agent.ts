import { EntitySchema } from 'typeorm';
import type { AgentStatus } from '../../../../sync-engine/src/protocol/enrollment.js';
import { bigintAsNumber } from '../columns.js';

/** A one-time enrollment token; only its sha-256 is stored. */
export interface EnrollmentTokenRow {
  tokenHash: string;
  siteCode: string;
  expiresAt: string;
  usedAt: string | null;
  usedByAgent: string | null;
  /** When an operator revoked it before use (`tokens revoke`); refused then as an expired token is. */
  revokedAt: string | null;
  createdAt: string;
}

export const EnrollmentTokenEntity = new EntitySchema<EnrollmentTokenRow>({
  name: 'EnrollmentToken',
  tableName: 'enrollment_tokens',
  columns: {
    tokenHash: { name: 'token_hash', type: 'varchar', length: 64, primary: true },
    siteCode: { name: 'site_code', type: 'varchar', length: 64 },
    expiresAt: { name: 'expires_at', type: 'varchar', length: 30 },
    usedAt: { name: 'used_at', type: 'varchar', length: 30, nullable: true },
    usedByAgent: { name: 'used_by_agent', type: 'varchar', length: 36, nullable: true },
    revokedAt: { name: 'revoked_at', type: 'varchar', length: 30, nullable: true },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
});

/** An enrolled agent and the Ed25519 key its requests are verified with. */
export interface AgentRow {
  id: string;
  siteCode: string;
  name: string;
  publicKeyPem: string;
  status: AgentStatus;
  createdAt: string;
  statusChangedAt: string;
  /**
   * When the platform last answered a signed request of this agent (a sync, or
   * its check of its credentials; services/last-seen.ts), at most a minute
   * behind while serve runs. Null: none since it enrolled.
   */
  lastSeenAt: string | null;
}

export const AgentEntity = new EntitySchema<AgentRow>({
  name: 'Agent',
  tableName: 'agents',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    siteCode: { name: 'site_code', type: 'varchar', length: 64 },
    name: { type: 'varchar', length: 200 },
    publicKeyPem: { name: 'public_key_pem', type: 'text' },
    status: { type: 'varchar', length: 16 },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
    statusChangedAt: { name: 'status_changed_at', type: 'varchar', length: 30 },
    lastSeenAt: { name: 'last_seen_at', type: 'varchar', length: 30, nullable: true },
  },
});

/** A signature nonce seen recently; the primary key makes a replay fail to insert. */
export interface NonceRow {
  agentId: string;
  nonce: string;
  /** Seconds since the epoch after which the nonce can be forgotten. */
  expiresAt: number;
}

export const NonceEntity = new EntitySchema<NonceRow>({
  name: 'Nonce',
  tableName: 'nonces',
  columns: {
    agentId: { name: 'agent_id', type: 'varchar', length: 36, primary: true },
    nonce: { type: 'varchar', length: 128, primary: true },
    expiresAt: { name: 'expires_at', type: 'bigint', transformer: bigintAsNumber },
  },
});
