/**
 * A `"__proto__"` object key spelled plainly (an opening quote not escaped, so
 * not inside a string). JSON.parse keeps it as an own key, but code that
 * copies an object key by key (`out[key] = value`) would set a prototype
 * instead and silently drop the data. The platform refuses such keys on input,
 * so an answer holding one is malformed. The same key spelled with escapes (`"\u005f_proto__"`) is
 * found by holdsProtoKey.
 */
const PROTO_KEY = /(?<!\\)"__proto__"\s*:/;

/** Why an answer's body is not the JSON the protocol allows. */
export type AnswerJsonProblem = 'not_json' | 'proto_key';

export class AnswerJsonError extends Error {
  constructor(readonly problem: AnswerJsonProblem) {
    super(problem === 'not_json' ? 'the answer is not JSON' : 'the answer holds a "__proto__" key');
    this.name = 'AnswerJsonError';
  }
}

/** How a pull page begins when the reference platform wrote it (feed-json.ts): the changes first. */
const PAGE_HEAD = '{"changes":[';
const PAGE_HEAD_BYTES = Buffer.from(PAGE_HEAD);
/**
 * Between two entries of such a page. Outside a string, since the quote follows
 * `{` and not a backslash: in valid JSON these bytes only ever end one value
 * and open an object whose first key is `seq`.
 */
const ENTRY_BREAK = Buffer.from(',{"seq":');

/**
 * Parses an answer's body (UTF-8 JSON) and refuses a `__proto__` key.
 *
 * A pull page (about 2.4 MB of mostly two-byte Vietnamese text at 1,000
 * records) is parsed entry by entry when its layout allows: one short string
 * per entry instead of one large one. A string that large is allocated on its
 * own fresh pages in V8's large-object space (page faults, then an old-space
 * collection to free it); the short ones die young. Measured: 14.5 ms a page
 * as one string, 8 ms entry by entry (docs/performance.md). The result is the
 * same value JSON.parse gives for the whole body; any body this path is not
 * sure of is parsed whole.
 */
export function parseAnswerJson(body: Buffer): unknown {
  const page = body.length > PAGE_HEAD_BYTES.length && body.subarray(0, PAGE_HEAD_BYTES.length).equals(PAGE_HEAD_BYTES) ? parsePageByEntry(body) : undefined;
  return page !== undefined ? page : parseWhole(body.toString('utf8'));
}

function parseWhole(text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AnswerJsonError('not_json');
  }
  if (holdsProtoKey(text)) throw new AnswerJsonError('proto_key');
  return json;
}

/**
 * Whether valid JSON `text` holds an object key JSON.parse reads as
 * `__proto__`, however it is spelled. The plain spelling is a pattern search;
 * an escaped one can hide only in a text with a `\u` escape, which is then
 * parsed again with a reviver (it sees every key as JSON.parse reads it).
 * Entries of the reference platform's pages seldom hold one: JSON.stringify
 * writes Vietnamese letters as they are and uses `\u` only for control
 * characters and lone surrogates.
 */
function holdsProtoKey(text: string): boolean {
  if (text.includes('__proto__') && PROTO_KEY.test(text)) return true;
  if (!text.includes('\\u')) return false;
  let found = false;
  JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__') found = true;
    return value;
  });
  return found;
}

/**
 * `{"changes":[e1,e2,…,en],…}` as [e1 … e(n-1)] each parsed alone, then
 * `{"changes":[en],…}` parsed as a document of its own, which brings the rest
 * of the page (cursor, hasMore, any other key) with it. A break found inside an
 * entry (a nested object whose first key is `seq`) leaves two pieces that are
 * not JSON, and a second `"changes"` key would make the whole body mean
 * something else: both give up (undefined), as does a `__proto__` key, so the
 * whole body is parsed and judged as before.
 */
export function parsePageByEntry(body: Buffer): unknown {
  const changes: unknown[] = [];
  let from = PAGE_HEAD_BYTES.length;
  for (let at = body.indexOf(ENTRY_BREAK, from); at >= 0; at = body.indexOf(ENTRY_BREAK, from)) {
    const entry = parsePiece(body.toString('utf8', from, at));
    if (entry === undefined) return undefined;
    changes.push(entry);
    from = at + 1; // the next entry starts at its `{`
  }
  const restText = body.toString('utf8', from);
  if (restText.includes('"changes"')) return undefined;
  const rest = parsePiece(PAGE_HEAD + restText);
  if (typeof rest !== 'object' || rest === null || !Array.isArray((rest as { changes?: unknown }).changes)) return undefined;
  for (const entry of (rest as { changes: unknown[] }).changes) changes.push(entry);
  return { ...rest, changes };
}

function parsePiece(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  return holdsProtoKey(text) ? undefined : value;
}
