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
 */
export function createAdminApiClient(options: AdminApiClientOptions): AdminApiClient {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const authorization = `Bearer ${options.token}`;
  const reconnectDelayMs = options.reconnectDelayMs ?? 2000;
  const caller = encodeURIComponent(options.user ?? localUserName());
  const proven = () =>
    proveService({ baseUrl: base, token: options.token, fetch: fetchImpl, ...(options.proofTimeoutMs !== undefined ? { timeoutMs: options.proofTimeoutMs } : {}) });
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

  /** One opening of the event stream, read until it ends; false when retrying cannot help. */
  const readStream = async (controller: AbortController): Promise<boolean> => {
    const res = await fetchImpl(`${base}/api/events`, {
      headers: { authorization, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      // A refused token or a missing route will not heal by retrying.
      return !(res.status >= 400 && res.status < 500);
    }
    const parser = createSseParser((e) => deliver(e.event, e.data));
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      parser.push(decoder.decode(value, { stream: true }));
    }
  };

  const pump = async (controller: AbortController) => {
    while (!controller.signal.aborted) {
      let retry = true;
      try {
        // A listener that cannot prove it is the service gets no token: wait and try again.
        if (await proven()) retry = await readStream(controller);
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

  return {
    async call(command, input) {
      if (!isCommandName(command)) return { ok: false, error: unexpected };
      if (!(await proven())) return { ok: false, error: unreachable };
      let res: Response;
      try {
        res = await fetchImpl(`${base}/api/commands/${encodeURIComponent(command)}`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json', accept: 'application/json', [CALLER_USER_HEADER]: caller },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return { ok: false, error: unreachable };
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        return { ok: false, error: unexpected };
      }
      return checkResult(command, body) as never;
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
