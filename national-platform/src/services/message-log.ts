import type { Mutation } from '../../../sync-engine/src/protocol/push.js';
import { MessageLogEntity, type MessageLogRow } from '../store/entities/mutation-log.js';
import type { PlatformStore } from '../store/platform-store.js';
import type { AuthenticatedAgent } from './auth.js';

/** The log row of an accepted mutation: the signature and body digest of the request that carried it. */
export function messageLogRow(auth: AuthenticatedAgent, mutation: Mutation, outcome: { rev: number; seq: number }, receivedAt: string): MessageLogRow {
  return {
    mutationId: mutation.mutationId,
    agentId: auth.agent.id,
    siteCode: auth.site.code,
    dataset: mutation.dataset,
    recordId: mutation.id,
    seq: outcome.seq,
    rev: outcome.rev,
    signature: auth.signature,
    signatureInput: auth.signatureInput,
    contentDigest: auth.contentDigest,
    mutation: JSON.stringify(mutation),
    receivedAt,
  };
}

export interface MessageLogQuery {
  mutationId?: string;
  agentId?: string;
  dataset?: string;
  recordId?: string;
  limit?: number;
}

/** Reads the message log, newest first: who changed what, with the proof. */
export async function readMessageLog(store: PlatformStore, query: MessageLogQuery = {}): Promise<MessageLogRow[]> {
  return store.read((em) => {
    const qb = em.getRepository(MessageLogEntity).createQueryBuilder('l');
    if (query.mutationId) qb.andWhere('l.mutation_id = :mutationId', { mutationId: query.mutationId });
    if (query.agentId) qb.andWhere('l.agent_id = :agentId', { agentId: query.agentId });
    if (query.dataset) qb.andWhere('l.dataset = :dataset', { dataset: query.dataset });
    if (query.recordId) qb.andWhere('l.record_id = :recordId', { recordId: query.recordId });
    return qb
      .orderBy('l.seq', 'DESC')
      .take(Math.min(query.limit ?? 1000, 10_000))
      .getMany();
  });
}
