import { setTimeout as sleep } from 'node:timers/promises';
import {
  apiErrorSchema,
  commands,
  events,
  isCommandName,
  type AgentApi,
  type ApiError,
  type ApiResult,
  type CommandName,
  type EventName,
} from '../api/index.js';
import { CALLER_USER_HEADER } from '../api/caller.js';
import { localUserName } from '../service/local-user.js';
import { proveService } from './service-proof.js';
import { createSseParser } from './sse-parser.js';

export type AdminApiClient = AgentApi & {
  /** Ends the event stream; later calls still work, later `on` opens it again. */
  close(): void;
};

export type AdminApiClientOptions = {
  baseUrl: string;
  token: string;
  /**
   * Reads the data folder's token file again (readAdminToken). Each start of
   * the service issues a new token: when the service refuses the one this
   * client holds (it proves no knowledge of it, or answers 401), the client
   * reads the file once more and, if the token there changed, takes it and
   * tries once again. Without it a restart leaves the client refused.
   */
  rereadToken?: () => string | null;
  fetch?: typeof fetch;
  /** Wait before reopening a dropped event stream. */
  reconnectDelayMs?: number;
  /** Who the audit log names for this client's commands; by default the user this process runs for. */
  user?: string;
  /** How long the listener has to answer the challenge before it counts as no service. */
  proofTimeoutMs?: number;
};

const unreachable: ApiError = {
  code: 'unreachable',
  messages: {
    vi: 'Không kết nối được tới dịch vụ nền của tác tử trên máy này.',
    en: "Cannot reach the agent's background service on this machine.",
  },
};
const unexpected: ApiError = {
  code: 'internal',
  messages: {
    vi: 'Dịch vụ nền của tác tử trả lời không đúng định dạng.',
    en: "The agent's background service gave an answer in an unexpected shape.",
  },
};

/**
 * The AgentApi as a client of a running service's admin API, for the CLI and
 * for the Electron window when the background service owns the data folder.
 * Answers are checked against the contract, so a caller here gets exactly the
 * types it would get in-process. Events arrive over one shared SSE stream,
 * opened on the first subscription and closed after the last.
 *
 * The token goes only to a listener that has just proved it knows it
 * (service-proof.ts): before every command and every (re)opening of the event
 * stream, since the service may have stopped and another local user taken its
 * port in between. A listener that cannot prove it is reported as unreachable,
 * like no service at all.
 *
 * A service restart issues a new token (token.ts): a refused command reads the
 * token file once (rereadToken) and is sent once more only if the token there
 * changed; the event stream does the same before it reopens. No refusal leads
 * to more than one new attempt with the same token.
 */
export function createAdminApiClient(options: AdminApiClientOptions): AdminApiClient {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const reconnectDelayMs = options.reconnectDelayMs ?? 2000;
  const caller = encodeURIComponent(options.user ?? localUserName());
  let token = options.token;
  const proven = (used: string) =>
    proveService({ baseUrl: base, token: used, fetch: fetchImpl, ...(options.proofTimeoutMs !== undefined ? { timeoutMs: options.proofTimeoutMs } : {}) });

  /** After `used` was refused: the token file's token if it changed since (the service restarted), from now on this client's; else null. */
  const newerToken = (used: string): string | null => {
    const fresh = options.rereadToken?.() ?? null;
    if (fresh === null || fresh === used) return null;
    token = fresh;
    return fresh;
  };
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let stream: AbortController | null = null;

  const listenerCount = () => [...listeners.values()].reduce((n, set) => n + set.size, 0);

  const deliver = (name: string, data: string) => {
    if (!Object.prototype.hasOwnProperty.call(events, name)) return;
    const eventName = name as EventName;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = events[eventName].safeParse(payload);
    if (!parsed.success) return;
    for (const listener of [...(listeners.get(eventName) ?? [])]) listener(parsed.data);
  };

  /**
   * One opening of the event stream, read until it ends: 'ended' (reopen after
   * a pause), 'refused' (the token: 401), or 'rejected' (another refusal, which
   * retrying cannot heal).
   */
  const readStream = async (controller: AbortController, used: string): Promise<'ended' | 'refused' | 'rejected'> => {
    const res = await fetchImpl(`${base}/api/events`, {
      headers: { authorization: `Bearer ${used}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      if (res.status === 401) return 'refused';
      return res.status >= 400 && res.status < 500 ? 'rejected' : 'ended';
    }
    const parser = createSseParser((e) => deliver(e.event, e.data));
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'ended';
      parser.push(decoder.decode(value, { stream: true }));
    }
  };

  const pump = async (controller: AbortController) => {
    while (!controller.signal.aborted) {
      const used = token;
      let retry = true;
      try {
        // A listener that cannot prove it knows the token gets no token: wait and try again,
        // at once if the token file holds a new one (the service restarted).
        if (!(await proven(used))) {
          if (newerToken(used) !== null) continue;
        } else {
          const outcome = await readStream(controller, used);
          // A refused token heals only if the file holds a new one; a missing route never.
          if (outcome === 'refused' && newerToken(used) !== null) continue;
          retry = outcome === 'ended';
        }
      } catch {
        // Dropped or refused connection: wait and reopen below.
      }
      if (!retry || controller.signal.aborted) break;
      try {
        await sleep(reconnectDelayMs, undefined, { signal: controller.signal });
      } catch {
        break;
      }
    }
    if (stream === controller) stream = null;
  };

  const closeStream = () => {
    stream?.abort();
    stream = null;
  };

  /** One command with `used`; `refused` when the service did not take that token (no proof for it, or 401). */
  const send = async (command: CommandName, input: unknown, used: string): Promise<{ result: ApiResult<unknown>; refused: boolean }> => {
    if (!(await proven(used))) return { result: { ok: false, error: unreachable }, refused: true };
    let res: Response;
    try {
      res = await fetchImpl(`${base}/api/commands/${encodeURIComponent(command)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${used}`, 'content-type': 'application/json', accept: 'application/json', [CALLER_USER_HEADER]: caller },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return { result: { ok: false, error: unreachable }, refused: false };
    }
    const refused = res.status === 401;
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      return { result: { ok: false, error: unexpected }, refused };
    }
    return { result: checkResult(command, body), refused };
  };

  return {
    async call(command, input) {
      if (!isCommandName(command)) return { ok: false, error: unexpected };
      const used = token;
      const first = await send(command, input, used);
      if (!first.refused) return first.result as never;
      const fresh = newerToken(used);
      return (fresh === null ? first.result : (await send(command, input, fresh)).result) as never;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      if (!stream) {
        stream = new AbortController();
        void pump(stream);
      }
      return () => {
        set.delete(entry);
        if (listenerCount() === 0) closeStream();
      };
    },
    close: closeStream,
  };
}

function checkResult(command: CommandName, body: unknown): ApiResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return { ok: false, error: unexpected };
  if (body.ok === true && 'value' in body) {
    const value = commands[command].output.safeParse(body.value);
    return value.success ? { ok: true, value: value.data } : { ok: false, error: unexpected };
  }
  const error = apiErrorSchema.safeParse((body as { error?: unknown }).error);
  return error.success ? { ok: false, error: error.data } : { ok: false, error: unexpected };
}
