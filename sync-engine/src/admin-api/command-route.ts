import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCommandName, parseCommandInput, type AgentApi, type CommandInput, type CommandName } from '../api/index.js';
import { CALLER_USER_HEADER, callerUserFromHeader, type Caller } from '../api/caller.js';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonText } from '../protocol/json-text.js';
import { refusals, sendJson, sendRefusal } from './responses.js';
import { sendWhenSettled } from './slow-answer.js';

export const MAX_COMMAND_BODY_BYTES = 1024 * 1024;
/**
 * records.import carries a whole spreadsheet (at most MAX_IMPORT_CHARS characters of CSV): as JSON,
 * up to three bytes a character (Vietnamese letters) and escapes for quotes and line breaks. An Excel
 * workbook (at most MAX_IMPORT_XLSX_BYTES, 16 MiB) is about 22.4 MB of base64, which fits too.
 */
export const MAX_IMPORT_BODY_BYTES = 32 * 1024 * 1024;

/**
 * POST /api/commands/{command}: the JSON body is the command's input. The door
 * has no logic of its own: it refuses unknown names, JSON nested deeper than
 * the protocol allows or holding a `__proto__` key (the platform refuses both,
 * a schema that copies objects key by key would drop such a field silently,
 * and deep nesting overflows the stack of the checks behind), validates with
 * the contract's schema, and hands the parsed input to the AgentApi with the
 * caller's user name (the x-edge-agent-user header). Every answer
 * is an ApiResult; the HTTP status only mirrors it (400 for invalid_input).
 * An answer slower than `slowAfterMs` (a long sync) is sent as 200 with its
 * headers first and spaces until it comes (slow-answer.ts), so no client
 * gives up on it while the command runs.
 */
export async function handleCommand(api: AgentApi, name: string, req: IncomingMessage, res: ServerResponse, slowAfterMs?: number): Promise<void> {
  if (req.method !== 'POST') return sendRefusal(res, refusals.methodNotAllowed('POST'));
  if (!isCommandName(name)) return sendRefusal(res, refusals.unknownCommand(name));
  if (!isJsonContentType(req.headers['content-type'])) return sendRefusal(res, refusals.notJson());

  const limit = name === 'records.import' ? MAX_IMPORT_BODY_BYTES : MAX_COMMAND_BODY_BYTES;
  const body = await readBody(req, limit);
  if (body === 'too-large') {
    sendRefusal(res, refusals.bodyTooLarge(limit));
    // Stop reading what is left of an oversized upload once the answer is out.
    res.on('finish', () => req.destroy());
    return;
  }
  const text = body.toString('utf8');
  if (jsonDepth(text) > MAX_JSON_DEPTH) return sendRefusal(res, refusals.jsonTooDeep(MAX_JSON_DEPTH));
  let input: unknown;
  try {
    const parsed = body.length === 0 ? { value: {}, protoKey: false } : parseJsonText(text);
    if (parsed.protoKey) return sendRefusal(res, refusals.protoKey());
    input = parsed.value;
  } catch {
    return sendRefusal(res, refusals.badJson());
  }

  const parsed = parseCommandInput(name, input);
  if (!parsed.ok) return sendJson(res, 400, parsed);
  const result = callSafely(api, name, parsed.value, { user: callerUserFromHeader(req.headers[CALLER_USER_HEADER]) });
  await sendWhenSettled(res, result, (r) => (r.ok || r.error.code !== 'invalid_input' ? 200 : 400), slowAfterMs);
}

async function callSafely(api: AgentApi, name: CommandName, input: unknown, caller: Caller) {
  try {
    // The parsed args are the command's input after defaults: a valid CommandInput.
    return await api.call(name, input as CommandInput<typeof name>, caller);
  } catch {
    // An exception is an engine bug; its text may hold paths or SQL, so it stays here.
    return { ok: false as const, error: refusals.internal().error };
  }
}

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
