import type { Mutation } from '../../../sync-engine/src/protocol/push.js';
import { MessageLogEntity, type MessageLogRow } from '../store/entities/mutation-log.js';
import type { PlatformStore } from '../store/platform-store.js';
import type { AuthenticatedAgent } from './auth.js';
import { readSignedRequests, requestMutations, type SignedRequest } from './signed-requests.js';

/** The log row of an accepted mutation: which signed request carried it, and where in it. */
export function messageLogRow(
  auth: AuthenticatedAgent,
  mutation: Mutation,
  outcome: { rev: number; seq: number },
  request: { id: string; item: number; receivedAt: string },
): MessageLogRow {
  return {
    mutationId: mutation.mutationId,
    agentId: auth.agent.id,
    siteCode: auth.site.code,
    dataset: mutation.dataset,
    recordId: mutation.id,
    seq: outcome.seq,
    rev: outcome.rev,
    requestId: request.id,
    item: request.item,
    signature: null,
    signatureInput: null,
    contentDigest: null,
    mutation: null,
    receivedAt: request.receivedAt,
  };
}

/**
 * A logged mutation with its proof: the signature, its input and the body digest
 * of the request it came in, and the mutation's JSON as received. `requestId`
 * names the request kept whole (null for entries logged before requests were kept).
 */
export type MessageLogEntry = Omit<MessageLogRow, 'item' | 'signature' | 'signatureInput' | 'contentDigest' | 'mutation'> & {
  signature: string;
  signatureInput: string;
  contentDigest: string;
  mutation: string;
};

export interface MessageLogQuery {
  mutationId?: string;
  agentId?: string;
  dataset?: string;
  recordId?: string;
  limit?: number;
}

/** Reads the message log, newest first: who changed what, with the proof. */
export async function readMessageLog(store: PlatformStore, query: MessageLogQuery = {}): Promise<MessageLogEntry[]> {
  return store.read(async (em) => {
    const qb = em.getRepository(MessageLogEntity).createQueryBuilder('l');
    if (query.mutationId) qb.andWhere('l.mutation_id = :mutationId', { mutationId: query.mutationId });
    if (query.agentId) qb.andWhere('l.agent_id = :agentId', { agentId: query.agentId });
    if (query.dataset) qb.andWhere('l.dataset = :dataset', { dataset: query.dataset });
    if (query.recordId) qb.andWhere('l.record_id = :recordId', { recordId: query.recordId });
    const rows = await qb
      .orderBy('l.seq', 'DESC')
      .take(Math.min(query.limit ?? 1000, 10_000))
      .getMany();
    const ids = [...new Set(rows.flatMap((r) => (r.requestId ? [r.requestId] : [])))];
    const requests = new Map<string, SignedRequest>();
    for (let i = 0; i < ids.length; i += 500) for (const [id, r] of await readSignedRequests(em, ids.slice(i, i + 500))) requests.set(id, r);
    const items = new Map<string, unknown[]>();
    return rows.map((row): MessageLogEntry => {
      const { requestId, item, ...rest } = row;
      const request = requestId ? requests.get(requestId) : undefined;
      if (!request) {
        return { ...rest, signature: row.signature ?? '', signatureInput: row.signatureInput ?? '', contentDigest: row.contentDigest ?? '', mutation: row.mutation ?? '', requestId: null };
      }
      let mutations = items.get(request.id);
      if (!mutations) items.set(request.id, (mutations = requestMutations(request)));
      return {
        ...rest,
        signature: request.signature,
        signatureInput: request.signatureInput,
        contentDigest: request.contentDigest,
        mutation: JSON.stringify(mutations[item ?? -1] ?? null),
        requestId: request.id,
      };
    });
  });
}

/** One signed request as received, to check its signature and digest again; null if no such request. */
export async function readSignedRequest(store: PlatformStore, id: string): Promise<SignedRequest | null> {
  return store.read(async (em) => (await readSignedRequests(em, [id])).get(id) ?? null);
}
