import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startPlatform, type RunningPlatform } from '../../national-platform/src/index.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { enroll, type SignedClient } from '../support/platform-client.js';
import { rawRequest, type RawAnswer } from './support/raw-http.js';

/**
 * Every platform endpoint fed random and hostile input, unsigned and with a
 * valid signature over the hostile bytes (so the fuzz reaches the handlers,
 * not only the signature check). Never a 5xx, never a crash (health answers
 * after every batch), never a write (the head seq does not move).
 * FUZZ_SEED replays a run; SOAK=1 runs ten times as many cases.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 9001);
const RUNS = process.env['SOAK'] === '1' ? 1500 : 150;
const DS = 'civil-status-births';

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '"; DROP TABLE records; --',
    "01') UNION SELECT * FROM agents --",
    '../../etc/passwd',
    '%2e%2e%2f',
    '\u0000',
    '\uD800',
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    '__proto__',
    'constructor',
    'Đặng Thị Lan',
    '9'.repeat(400),
  ),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 53 + 1, 1e308, -0));
const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(hostileString, fc.constantFrom('mutations', 'id', 'data', 'op', 'baseRev', 'dataset', 'mutationId', 'token', 'publicKey')), tie('value'), { maxKeys: 6 }),
})).value;

const mutationLike = fc.record(
  {
    mutationId: fc.oneof(fc.uuid(), hostileString),
    dataset: fc.oneof(fc.constantFrom(DS, 'admin-units', 'procedure-dossiers', 'nope'), hostileString),
    id: fc.oneof(fc.uuid(), hostileString),
    op: fc.oneof(fc.constantFrom('upsert', 'delete', 'UPSERT', 'drop'), hostileString),
    baseRev: fc.oneof(fc.constant(null), hostileNumber, hostileString),
    data: fc.oneof(hostileJson, fc.dictionary(fc.constantFrom('provinceCode', 'personalId', 'fullName', 'communeCode', 'birthDate'), leaf)),
  },
  { requiredKeys: [] },
);

/** Bodies as bytes: JSON of hostile values, broken JSON, invalid UTF-8, nesting, __proto__ keys, duplicate keys. */
const hostileBody: fc.Arbitrary<Buffer> = fc.oneof(
  hostileJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.array(mutationLike, { maxLength: 4 }).map((m) => Buffer.from(JSON.stringify({ mutations: m }))),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.integer({ min: 33, max: 5000 }).map((d) => Buffer.from(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`)),
  fc.constantFrom(
    '{"__proto__":{"admin":true},"mutations":[]}',
    '{"mutations":[{"constructor":{"prototype":{"x":1}}}]}',
    '{"mutations":[],"mutations":[{"op":"delete"}]}',
    '{"token":"a","token":"b"}',
    '{"mutations":',
    '\uFEFF{"mutations":[]}',
    '{"mutations":[1e999]}',
  ).map((s) => Buffer.from(s)),
  fc.constant(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])),
);

const query = fc.record({
  dataset: fc.oneof(fc.constantFrom(DS, 'admin-units', 'procedure-dossiers'), hostileString),
  since: fc.option(fc.oneof(hostileString, fc.constantFrom('c1.e30.AAAA', 'c1..', 'c1.' + 'A'.repeat(5000))), { nil: undefined }),
  limit: fc.option(fc.oneof(hostileString, hostileNumber.map(String)), { nil: undefined }),
});

const hostileHeaders = fc.record(
  {
    'signature-input': fc.oneof(hostileString, fc.constantFrom('sig1=("@method" "@target-uri" "content-digest");created=1;keyid="x";alg="ed25519";nonce="n"', 'sig1=(', 'sig1=();created=9999999999999999999')),
    signature: fc.oneof(hostileString, fc.constantFrom('sig1=:AAAA:', 'sig1=::', 'sig1=:' + 'A'.repeat(10_000) + ':')),
    'content-digest': fc.oneof(hostileString, fc.constantFrom('sha-256=:AAAA:', 'sha-512=:x:', 'md5=:x:')),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'gzip, gzip'),
    'content-type': fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', ''),
  },
  { requiredKeys: [] },
);

/** Percent-encodes any string byte by byte (encodeURIComponent throws on a lone surrogate). */
const pct = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
/** Header values must be visible ASCII for node to send them; the hostility is in the content. */
const asHeaders = (h: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '?')]));
/** A failure names the seed and the path, without printing megabytes of counterexample. */
const options = (seed: number, numRuns: number) => ({
  seed,
  numRuns,
  endOnFailure: true,
  reporter: (out: { failed: boolean; seed: number; counterexamplePath: string | null; errorInstance: unknown }) => {
    if (out.failed) throw new Error(`fuzz failed (seed ${out.seed}, path ${out.counterexamplePath}): ${String(out.errorInstance).slice(0, 600)}`);
  },
});

describe('every platform endpoint under hostile input', () => {
  let dir: string;
  let platform: RunningPlatform;
  let agent: SignedClient;
  let headBefore: number;
  let answers = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
    platform = await startPlatform({ db: join(dir, 'p.sqlite'), rateLimit: false, log: () => undefined });
    await platform.admin.addSite({ code: 'HN-A', name: 'UBND phường A', provinceCode: '01' });
    const gen = createSampleGenerator(SEED);
    await platform.admin.putRecords(DS, Array.from({ length: 20 }, () => ({ data: gen.birth('01') })));
    const token = await platform.admin.createToken({ site: 'HN-A' });
    const enrolled = await enroll(platform.url, token, 'HN-A');
    agent = enrolled.client;
    headBefore = (await platform.admin.status()).headSeq;
    console.log(`[security] fuzz seed=${SEED} runs=${RUNS} (replay: FUZZ_SEED=${SEED})`);
  });

  after(async () => {
    await platform?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const check = (what: string, answer: RawAnswer) => {
    answers += 1;
    assert.ok(answer.status < 500, `${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    if (answer.status >= 400) {
      // Error bodies keep the protocol's shape and never carry a stack trace.
      assert.doesNotMatch(answer.text, /at \S+ \(|node_modules|\.ts:\d+/, `${what} leaked internals: ${answer.text.slice(0, 300)}`);
    }
  };

  const stillHealthy = async () => {
    const health = await rawRequest(platform.url, 'GET', '/v1/health', {});
    assert.equal(health.status, 200, 'the platform still answers health');
    assert.equal((await platform.admin.status()).headSeq, headBefore, 'nothing was written');
  };

  test('unsigned: enrollment, health and every signed endpoint with hostile bodies, paths and headers', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, query, hostileHeaders, async (body, q, hostile) => {
        const headers = asHeaders(hostile as Record<string, string>);
        check('POST /v1/enrollments', await rawRequest(platform.url, 'POST', '/v1/enrollments', { 'content-type': 'application/json', ...headers }, body));
        check('POST /v1/mutations', await rawRequest(platform.url, 'POST', '/v1/mutations', { 'content-type': 'application/json', ...headers }, body));
        const params = new URLSearchParams();
        if (q.since !== undefined) params.set('since', q.since);
        if (q.limit !== undefined) params.set('limit', q.limit);
        const name = pct(q.dataset);
        check('GET changes', await rawRequest(platform.url, 'GET', `/v1/datasets/${name}/changes?${params}`, headers));
        check('GET digest', await rawRequest(platform.url, 'GET', `/v1/datasets/${name}/digest`, headers));
        check('GET health', await rawRequest(platform.url, 'GET', `/v1/health?${params}`, headers));
      }),
      options(SEED, Math.ceil(RUNS / 2)),
    );
    await stillHealthy();
  });

  test('signed by an enrolled agent: hostile push bodies and pull queries reach the handlers and are refused without a write', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, query, async (body, q) => {
        const pushHeaders = await agent.sign('POST', '/v1/mutations', body);
        const push = await rawRequest(platform.url, 'POST', '/v1/mutations', pushHeaders, body);
        check('signed POST /v1/mutations', push);
        if (push.status === 200) {
          const results = (JSON.parse(push.text) as { results: Array<{ status: string }> }).results;
          assert.ok(results.every((r) => r.status === 'rejected'), `only rejections: ${push.text.slice(0, 300)}`);
        }
        const params = new URLSearchParams();
        if (q.since !== undefined) params.set('since', q.since);
        if (q.limit !== undefined) params.set('limit', q.limit);
        const path = `/v1/datasets/${pct(q.dataset)}/changes?${params}`;
        check('signed GET changes', await rawRequest(platform.url, 'GET', path, await agent.sign('GET', path)));
        const digestPath = `/v1/datasets/${pct(q.dataset)}/digest`;
        check('signed GET digest', await rawRequest(platform.url, 'GET', digestPath, await agent.sign('GET', digestPath)));
      }),
      options(SEED + 1, RUNS),
    );
    await stillHealthy();
    console.log(`[security] fuzz answered ${answers} hostile requests, none 5xx, head seq unchanged at ${headBefore}`);
  });

  test('no prototype was polluted in the platform process', () => {
    assert.equal(({} as Record<string, unknown>)['admin'], undefined);
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
  });
});
