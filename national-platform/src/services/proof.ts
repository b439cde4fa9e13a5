import { readSignatureInput, verifyRequest } from '../../../sync-engine/src/protocol/signing.js';
import { AgentEntity } from '../store/entities/agent.js';
import { MessageLogEntity } from '../store/entities/mutation-log.js';
import type { PlatformStore } from '../store/platform-store.js';
import { decodedBody, readSignedRequests, requestMutations, type SignedRequest } from './signed-requests.js';

/**
 * Why a proof fails, beside its English `reason`, for a reader that says it in
 * another language (the operator CLI): with the ids the reason names.
 * `bad_signature`: the signature check's own sentence (protocol/signing.ts
 * verifyRequest), the same words the HTTP API answers.
 */
export type ProofFailure =
  | { reasonCode: 'request_missing'; requestId: string }
  | { reasonCode: 'agent_unknown'; agentId: string }
  | { reasonCode: 'bad_signature' }
  | { reasonCode: 'signed_by_other'; keyId: string; agentId: string }
  | { reasonCode: 'not_in_body' };

/** What checking a logged mutation's proof found. */
export type ProofCheck =
  | { status: 'verified'; mutationId: string; agentId: string; requestId: string; signedAt: string }
  | ({ status: 'invalid'; mutationId: string; reason: string } & ProofFailure)
  | { status: 'unverifiable'; mutationId: string; reasonCode: 'not_kept'; reason: string }
  | { status: 'not_found'; mutationId: string };

/**
 * Checks, from the store alone, that an accepted mutation came in a request its
 * agent signed: the kept request's Content-Digest matches its body, the
 * Ed25519 signature over method, target URI and digest verifies with the
 * agent's enrolled public key, and the mutation is in that body at the logged
 * place with the logged id, dataset and record.
 *
 * It asks "did this key sign this", not "may it sign now": a revoked agent's
 * earlier requests still verify, and the signature's age is not held against it.
 * Entries logged before requests were kept (platform migration 1764200000000)
 * hold no target URI or body, so they cannot be checked: `unverifiable`.
 */
export async function checkProof(store: PlatformStore, mutationId: string): Promise<ProofCheck> {
  return store.read(async (em) => {
    const entry = await em.getRepository(MessageLogEntity).findOneBy({ mutationId });
    if (!entry) return { status: 'not_found', mutationId };
    if (!entry.requestId) return { status: 'unverifiable', mutationId, reasonCode: 'not_kept', reason: 'logged before push requests were kept whole: no target URI or body to check' };
    const request = (await readSignedRequests(em, [entry.requestId])).get(entry.requestId);
    if (!request) {
      return { status: 'invalid', mutationId, reasonCode: 'request_missing', requestId: entry.requestId, reason: `the request ${entry.requestId} it names is missing` };
    }
    const agent = await em.getRepository(AgentEntity).findOneBy({ id: entry.agentId });
    if (!agent) return { status: 'invalid', mutationId, reasonCode: 'agent_unknown', agentId: entry.agentId, reason: `the agent ${entry.agentId} is unknown` };
    const verify = (body: Buffer) => verifyAt(request, agent.publicKeyPem, body);
    let outcome = await verify(request.body);
    // As when it arrived: the digest may cover the gzip-decoded body instead of the bytes sent.
    if (!outcome.ok && request.contentEncoding === 'gzip') {
      const decoded = await verify(decodedBody(request));
      if (decoded.ok) outcome = decoded;
    }
    if (!outcome.ok) return { status: 'invalid', mutationId, reasonCode: 'bad_signature', reason: outcome.message };
    if (outcome.keyId !== entry.agentId) {
      const keyId = outcome.keyId;
      return { status: 'invalid', mutationId, reasonCode: 'signed_by_other', keyId, agentId: entry.agentId, reason: `signed by ${keyId}, logged for ${entry.agentId}` };
    }
    const item = requestMutations(request)[entry.item ?? -1] as { mutationId?: unknown; dataset?: unknown; id?: unknown } | undefined;
    if (!item || item.mutationId !== mutationId || item.dataset !== entry.dataset || item.id !== entry.recordId) {
      return { status: 'invalid', mutationId, reasonCode: 'not_in_body', reason: 'the signed body does not hold this mutation at the logged place' };
    }
    return { status: 'verified', mutationId, agentId: entry.agentId, requestId: request.id, signedAt: new Date(outcome.created * 1000).toISOString() };
  });
}

/** verifyRequest at the signature's own time, the key taken as active. */
function verifyAt(request: SignedRequest, publicKeyPem: string, body: Buffer) {
  const created = readSignatureInput(request.signatureInput)?.created ?? 0;
  return verifyRequest(
    {
      method: request.method,
      url: request.targetUri,
      headers: { signature: request.signature, 'signature-input': request.signatureInput, 'content-digest': request.contentDigest },
      body,
    },
    { lookupKey: async () => ({ publicKeyPem, status: 'active' }), now: created },
  );
}
