import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '../columns.js';

/**
 * Every accepted mutation, with the signed request it came in: who changed what,
 * provably. Kept forever. Rows point at their request in signed_requests
 * (`requestId`, `item` = its index in the request's `mutations`); rows written
 * before that table existed carry the signature, digest and mutation themselves.
 */
export interface MessageLogRow {
  mutationId: string;
  agentId: string;
  siteCode: string;
  dataset: string;
  recordId: string;
  seq: number;
  rev: number;
  requestId: string | null;
  item: number | null;
  signature: string | null;
  signatureInput: string | null;
  contentDigest: string | null;
  /** JSON of the mutation as received (older rows only). */
  mutation: string | null;
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
    requestId: { name: 'request_id', type: 'varchar', length: 36, nullable: true },
    item: { type: 'integer', nullable: true },
    signature: { type: 'text', nullable: true },
    signatureInput: { name: 'signature_input', type: 'text', nullable: true },
    contentDigest: { name: 'content_digest', type: 'text', nullable: true },
    mutation: { type: 'text', nullable: true },
    receivedAt: { name: 'received_at', type: 'varchar', length: 30 },
  },
});
