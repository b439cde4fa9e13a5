import { parseJsonText, type JsonText } from '../protocol/json-text.js';

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
  let json: JsonText;
  try {
    json = parseJsonText(text);
  } catch {
    throw new AnswerJsonError('not_json');
  }
  // A `__proto__` key (protocol/json-text.ts): the platform refuses such keys on input, so an answer holding one is malformed.
  if (json.protoKey) throw new AnswerJsonError('proto_key');
  return json.value;
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
  let json: JsonText;
  try {
    json = parseJsonText(text);
  } catch {
    return undefined;
  }
  return json.protoKey ? undefined : json.value;
}
