import type { AgentApi, ApiError, ApiResult, CommandName, EventName } from './types.js';
import { ACTING_AS_HEADER, ActingAs, browserStorage, needsActingName } from './acting-as.js';
import { ConsoleAccess } from './console-access.js';
import vi from '../i18n/vi.json';
import en from '../i18n/en.json';

/**
 * THE one file that talks to the agent. In the Electron window the preload
 * exposes `window.edgeAgent`; in the web console (served by the local admin API)
 * the same AgentApi is spoken over HTTP:
 *
 *   POST /api/commands/{command}   body: the command's input as JSON
 *                                  header: Authorization: Bearer TOKEN
 *                                  answer: an ApiResult as JSON (any status code)
 *   GET  /api/events               header: Authorization: Bearer TOKEN
 *                                  answer: text/event-stream, frames
 *                                  `event: <name>\ndata: <json payload>\n\n`
 *
 * EventSource cannot send headers, so the stream is read with fetch and a
 * ReadableStream, and reopened with backoff when it ends. The token reaches the
 * console once, in the address's fragment (`#token=...`): it is kept in
 * sessionStorage and removed from the address bar so it is not bookmarked.
 * Every command carries the name the person gave (x-edge-agent-user,
 * percent-encoded; see acting-as.ts), and a change the audit log records waits
 * until there is one.
 *
 * Each start of the service issues a new token, so after a restart this page's
 * token is refused (401) for good: every command then answers, in vi/en, that
 * the service restarted and a new address comes from `edge-agent console`,
 * the event stream stops reopening, and ConsoleAccess tells the window.
 */

const TOKEN_KEY = 'edgeAgent.adminToken';
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

type Listener = (payload: unknown) => void;

export interface AgentClient {
  api: AgentApi;
  /** Who acts, in the web console only: the window's main process sends its OS user itself. */
  actingAs: ActingAs | null;
  /** Whether the service still takes the web console's token (null in the window, which holds none). */
  access: ConsoleAccess | null;
}

export function createAgentClient(): AgentClient {
  const bridge = window.edgeAgent;
  if (bridge) return { api: guardBridge(bridge), actingAs: null, access: null };
  const actingAs = new ActingAs(browserStorage());
  const access = new ConsoleAccess();
  return { api: createHttpClient(takeToken(), actingAs, access), actingAs, access };
}

/** Reads the token from `#token=` (then hides it) or from this tab's session. */
function takeToken(): string | null {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromUrl = fragment.get('token');
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage may be disabled; the token still lives for this page.
    }
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function failure(code: ApiError['code'], key: keyof typeof vi.clientErrors): { ok: false; error: ApiError } {
  return { ok: false, error: { code, messages: { vi: vi.clientErrors[key], en: en.clientErrors[key] } } };
}

function isApiResult(body: unknown): body is ApiResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const b = body as { ok: unknown; error?: { code?: unknown; messages?: unknown } };
  if (b.ok === true) return 'value' in body;
  return b.ok === false && typeof b.error?.code === 'string' && typeof b.error.messages === 'object';
}

/** A preload call that throws (a dead IPC channel) still answers as data. */
function guardBridge(bridge: AgentApi): AgentApi {
  const call = ((command: string, input: unknown) =>
    (bridge.call as (c: string, i: unknown) => Promise<ApiResult<unknown>>)(command, input).catch(() =>
      failure('internal', 'internal'),
    )) as AgentApi['call'];
  return { call, on: bridge.on.bind(bridge) };
}

function createHttpClient(token: string | null, actingAs: ActingAs, access: ConsoleAccess): AgentApi {
  const headers = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
  /** A 401: the service does not take this page's token (it restarted since), or the page has none. */
  const refused = () => {
    access.refuse(token ? 'restarted' : 'noToken');
    return failure('unauthorized', token ? 'serviceRestarted' : 'unauthorized');
  };

  const call = (async (command: CommandName, input: unknown): Promise<ApiResult<unknown>> => {
    // Without a name the change would be logged under the service's own account: ask first.
    const asks = needsActingName(command, input);
    const user = asks ? await actingAs.ask() : actingAs.name;
    if (asks && !user) return failure('invalid_input', 'noActingName');
    let response: Response;
    try {
      response = await fetch(`/api/commands/${encodeURIComponent(command)}`, {
        method: 'POST',
        headers: {
          ...headers(),
          ...(user ? { [ACTING_AS_HEADER]: encodeURIComponent(user) } : {}),
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(input ?? {}),
        cache: 'no-store',
      });
    } catch {
      return failure('unreachable', 'unreachable');
    }
    // Said here rather than the service's own refusal, which cannot know this page's token is an old run's.
    if (response.status === 401) return refused();
    const body: unknown = await response.json().catch(() => null);
    if (isApiResult(body)) return body;
    if (response.status === 403) return failure('unauthorized', 'unauthorized');
    return failure('internal', 'internal');
  }) as AgentApi['call'];

  const stream = new EventStream(
    headers,
    async () => {
      // After a gap in the stream, events may have been missed: refresh the status.
      const status = await call('status.get', {});
      return status.ok ? [{ event: 'status.changed', payload: status.value }] : [];
    },
    () => void refused(),
  );

  const on = ((event: EventName, listener: Listener) => stream.subscribe(event, listener)) as AgentApi['on'];
  return { call, on };
}

/** One shared server-sent-event connection, open while anyone listens. */
class EventStream {
  private readonly listeners = new Map<string, Set<Listener>>();
  private abort: AbortController | null = null;
  private retryMs = RETRY_MIN_MS;

  constructor(
    private readonly headers: () => Record<string, string>,
    private readonly catchUp: () => Promise<Array<{ event: string; payload: unknown }>>,
    /** The token refused (401): no reopening will be let in. */
    private readonly refused: () => void,
  ) {}

  subscribe(event: string, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    if (!this.abort) this.start();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(event);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private start(): void {
    const abort = new AbortController();
    this.abort = abort;
    void this.run(abort.signal);
  }

  private stop(): void {
    this.abort?.abort();
    this.abort = null;
  }

  private dispatch(event: string, payload: unknown): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        // One broken screen must not silence the others.
        console.error(error);
      }
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    let connectedBefore = false;
    while (!signal.aborted) {
      try {
        const response = await fetch('/api/events', {
          headers: { ...this.headers(), accept: 'text/event-stream' },
          cache: 'no-store',
          signal,
        });
        if (response.status === 401) {
          await response.body?.cancel();
          this.refused();
          return;
        }
        if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
        this.retryMs = RETRY_MIN_MS;
        if (connectedBefore) for (const e of await this.catchUp()) this.dispatch(e.event, e.payload);
        connectedBefore = true;
        await this.read(response.body, signal);
      } catch {
        // Reconnect below; an aborted signal ends the loop.
      }
      if (signal.aborted) return;
      await sleep(this.retryMs, signal);
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    }
  }

  /** Parses the event-stream format (WHATWG HTML §9.2.6) and dispatches each frame. */
  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let name = '';
    let data: string[] = [];
    const onAbort = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line === '') {
            if (data.length > 0) this.frame(name || 'message', data.join('\n'));
            name = '';
            data = [];
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const raw = colon === -1 ? '' : line.slice(colon + 1);
          const text = raw.startsWith(' ') ? raw.slice(1) : raw;
          if (field === 'event') name = text;
          else if (field === 'data') data.push(text);
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private frame(name: string, text: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return;
    }
    this.dispatch(name, payload);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
