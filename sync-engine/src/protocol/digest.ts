import { createHash } from 'node:crypto';

/** The digest of an empty set: 16 zero bytes. */
export const EMPTY_DIGEST = '0'.repeat(32);

/** First 16 bytes of sha256(id + ":" + rev): one record's share of a dataset digest. */
export function recordDigestPart(id: string, rev: number): Buffer {
  return createHash('sha256').update(`${id}:${rev}`).digest().subarray(0, 16);
}

/**
 * An order-free XOR accumulator over record parts. Adding and removing are the
 * same operation, which lets both sides keep digests up to date incrementally.
 */
export class DigestAccumulator {
  private readonly acc = Buffer.alloc(16);
  private n = 0;

  add(id: string, rev: number): this {
    this.xor(recordDigestPart(id, rev));
    this.n += 1;
    return this;
  }

  remove(id: string, rev: number): this {
    this.xor(recordDigestPart(id, rev));
    this.n -= 1;
    return this;
  }

  /** Folds in an already computed part or a partial digest (hex or bytes). */
  xor(part: Buffer | string): this {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'hex') : part;
    if (bytes.length !== 16) throw new RangeError('a digest part is 16 bytes');
    for (let i = 0; i < 16; i += 1) this.acc[i] = (this.acc[i] ?? 0) ^ (bytes[i] ?? 0);
    return this;
  }

  get count(): number {
    return this.n;
  }

  hex(): string {
    return this.acc.toString('hex');
  }
}

/** Digest of live records given as `{ id, rev }` pairs. */
export function digestOf(records: Iterable<{ id: string; rev: number }>): { count: number; digest: string } {
  const acc = new DigestAccumulator();
  for (const r of records) acc.add(r.id, r.rev);
  return { count: acc.count, digest: acc.hex() };
}

/** XOR of two hex digests. */
export function xorDigests(a: string, b: string): string {
  return new DigestAccumulator().xor(a).xor(b).hex();
}
