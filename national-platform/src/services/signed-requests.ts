import { gunzipSync } from 'node:zlib';
import type { EntityManager } from 'typeorm';
import { insertIntoTable, type InsertShape } from '../store/row-insert.js';

/**
 * A push request as it arrived: the signature that authorised it, the digest it
 * was signed with, the method and URI it covers, and its body as sent
 * (gzip-encoded when the agent sent it so; RFC 9530's Content-Digest covers these
 * bytes, or their gzip-decoded form, which the platform also accepts). With the
 * agent's public key, anyone can check the signature again.
 *
 * Kept once per request rather than once per mutation: the message log used to
 * hold each accepted mutation's JSON with the request's signature, input and
 * digest repeated on every row, about 1.4 KB per record of a 500-birth push
 * (0.75 MB per batch, written inside the push's transaction and kept forever).
 * The gzip body of the same batch is about 43 KB.
 */
export interface SignedRequest {
  id: string;
  agentId: string;
  siteCode: string;
  /** `@method` and `@target-uri` as signed. */
  method: string;
  targetUri: string;
  signature: string;
  signatureInput: string;
  contentDigest: string;
  contentEncoding: 'gzip' | 'identity';
  body: Buffer;
  receivedAt: string;
}

const COLUMNS = ['id', 'agent_id', 'site_code', 'method', 'target_uri', 'signature', 'signature_input', 'content_digest', 'content_encoding', 'body', 'received_at'];
/**
 * No entity: `body` is BLOB on SQLite and bytea on PostgreSQL, which one
 * EntitySchema cannot declare. Bodies are bound as bytes.
 */
const SHAPE: InsertShape = {
  table: 'signed_requests',
  properties: ['id', 'agentId', 'siteCode', 'method', 'targetUri', 'signature', 'signatureInput', 'contentDigest', 'contentEncoding', 'body', 'receivedAt'],
  columns: COLUMNS,
};

/** Writes requests (a push group holds a few). */
export async function insertSignedRequests(em: EntityManager, requests: readonly SignedRequest[]): Promise<void> {
  await insertIntoTable(em, SHAPE, requests);
}

/** The requests with these ids, by id. */
export async function readSignedRequests(em: EntityManager, ids: readonly string[]): Promise<Map<string, SignedRequest>> {
  const out = new Map<string, SignedRequest>();
  if (ids.length === 0) return out;
  const postgres = em.connection.options.type === 'postgres';
  const marks = ids.map((_, i) => (postgres ? `$${i + 1}` : '?')).join(', ');
  const rows = (await em.query(`SELECT ${COLUMNS.join(', ')} FROM signed_requests WHERE id IN (${marks})`, [...ids])) as Array<Record<string, unknown>>;
  for (const row of rows) {
    const request: SignedRequest = {
      id: String(row['id']),
      agentId: String(row['agent_id']),
      siteCode: String(row['site_code']),
      method: String(row['method']),
      targetUri: String(row['target_uri']),
      signature: String(row['signature']),
      signatureInput: String(row['signature_input']),
      contentDigest: String(row['content_digest']),
      contentEncoding: row['content_encoding'] === 'gzip' ? 'gzip' : 'identity',
      body: Buffer.from(row['body'] as Uint8Array),
      receivedAt: String(row['received_at']),
    };
    out.set(request.id, request);
  }
  return out;
}

/** The request's body with its content encoding undone. */
export function decodedBody(request: SignedRequest): Buffer {
  return request.contentEncoding === 'gzip' ? gunzipSync(request.body) : request.body;
}

/** The request's `mutations`, as received (each item's JSON, unknown members included). */
export function requestMutations(request: SignedRequest): unknown[] {
  const text = decodedBody(request).toString('utf8');
  const parsed = JSON.parse(text) as { mutations?: unknown };
  return Array.isArray(parsed.mutations) ? parsed.mutations : [];
}
