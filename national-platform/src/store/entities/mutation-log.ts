import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '../columns.js';

/** The result of an accepted mutation, answered as `duplicate` on replay (kept >= 30 days). */
export interface MutationResultRow {
  mutationId: string;
  agentId: string | null;
  /** JSON `{ rev, seq }`. */
  result: string;
  createdAt: string;
}

export const MutationResultEntity = new EntitySchema<MutationResultRow>({
  name: 'MutationResult',
  tableName: 'mutation_results',
  columns: {
    mutationId: { name: 'mutation_id', type: 'varchar', length: 36, primary: true },
    agentId: { name: 'agent_id', type: 'varchar', length: 36, nullable: true },
    result: { type: 'text' },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
});

/**
 * Every accepted mutation with the signature that authorised it and the digest
 * of the request body it came in: who changed what, provably. Kept forever.
 */
export interface MessageLogRow {
  mutationId: string;
  agentId: string;
  siteCode: string;
  dataset: string;
  recordId: string;
  seq: number;
  rev: number;
  signature: string;
  signatureInput: string;
  contentDigest: string;
  /** JSON of the mutation as received. */
  mutation: string;
  receivedAt: string;
}

export const MessageLogEntity = new EntitySchema<MessageLogRow>({
  name: 'MessageLog',
  tableName: 'message_log',
  columns: {
    mutationId: { name: 'mutation_id', type: 'varchar', length: 36, primary: true },
    agentId: { name: 'agent_id', type: 'varchar', length: 36 },
    siteCode: { name: 'site_code', type: 'varchar', length: 64 },
    dataset: { type: 'varchar', length: 64 },
    recordId: { name: 'record_id', type: 'varchar', length: 36 },
    seq: { type: 'bigint', transformer: bigintAsNumber },
    rev: { type: 'integer' },
    signature: { type: 'text' },
    signatureInput: { name: 'signature_input', type: 'text' },
    contentDigest: { name: 'content_digest', type: 'text' },
    mutation: { type: 'text' },
    receivedAt: { name: 'received_at', type: 'varchar', length: 30 },
  },
});
