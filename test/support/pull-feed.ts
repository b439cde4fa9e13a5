/**
 * Shared set-up of the platform's pull tests (test/platform/pull*.test.ts):
 * births seeded by province and commune, a pull followed to the end, and the
 * digest computed apart from the platform's code.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { pullPageSchema, type PullChange, type PullPage } from '../../sync-engine/src/protocol/pull.js';
import type { SignedClient } from './platform-client.js';
import type { TestPlatform } from './platform-harness.js';

export const BIRTHS = 'civil-status-births';

/** Pulls to the end, page by page; returns every change and the last cursor. */
export async function pullAll(agent: SignedClient, dataset: string, since?: string, limit?: number) {
  const changes: PullChange[] = [];
  let cursor = since;
  let pages = 0;
  for (;;) {
    const res = await agent.pull<PullPage>(dataset, cursor, limit);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    pullPageSchema.parse(res.body);
    changes.push(...res.body.changes);
    cursor = res.body.cursor;
    pages += 1;
    if (!res.body.hasMore) return { changes, cursor, pages };
    assert.ok(pages < 1000, 'the feed must end');
  }
}

/** The ids of CHANGES, sorted. */
export const ids = (changes: PullChange[]) => changes.map((c) => c.id).sort();

/** Births written by the admin as planned: [province, communes or any, how many] each; with the generator that made them. */
export async function seedBirths(p: TestPlatform, seed: number, plan: [string, string[] | undefined, number][]) {
  const gen = createSampleGenerator(seed);
  const out: { id: string; province: string }[] = [];
  for (const [province, communes, n] of plan) {
    const written = await p.admin.putRecords(
      BIRTHS,
      Array.from({ length: n }, () => ({ data: gen.birth(province, communes) })),
    );
    out.push(...written.map((w) => ({ id: w.id, province })));
  }
  return { gen, records: out };
}

/** The protocol's digest of RECORDS, computed here rather than by the platform's code: XOR of sha-256(id:rev)'s first 16 bytes. */
export function independentDigest(records: { id: string; rev: number }[]) {
  const acc = Buffer.alloc(16);
  for (const r of records) {
    const h = createHash('sha256').update(`${r.id}:${r.rev}`).digest();
    for (let i = 0; i < 16; i += 1) acc[i] = (acc[i] ?? 0) ^ (h[i] ?? 0);
  }
  return { count: records.length, digest: acc.toString('hex') };
}
