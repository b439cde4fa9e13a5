import {
  events,
  inputShapeProblem,
  isCommandName,
  parseCommandInput,
  type AgentApi,
  type ApiError,
  type ApiResult,
  type CommandInput,
  type EventName,
} from '../../sync-engine/src/api/index.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels.js';
import { isAppUrl } from './security.js';

/**
 * The Electron IPC door to the AgentApi. One invoke channel is handled here
 * ('edge-agent:call'), and one more in save-file.ts ('edge-agent:save-file',
 * the Save dialog); Electron itself rejects an invoke on any other channel,
 * and the preload offers no way to send one. Every call is checked in this
 * order before the engine sees it: the sending frame is the app's own page, the
 * command exists, its input nests no deeper than 32 levels and holds no
 * `__proto__` key (the admin API's check and message, sync-engine/src/api/
 * input-shape.ts), it passes the contract's schema. The renderer is treated as
 * untrusted (VS Code's validateIPC, but on the main side).
 */
export type SenderFrame = { url: string } | null;
export type IpcInvokeEvent = { senderFrame: SenderFrame };

/** The part of Electron's ipcMain used here (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** A window's webContents, as far as forwarding events goes. */
export type EventSink = { send(channel: string, ...args: unknown[]): void; isDestroyed(): boolean };

/** The refusal of a request whose frame is not the app's page (every invoke channel). */
export const untrustedSender = (): ApiError => ({
  code: 'unauthorized',
  messages: { vi: 'Yêu cầu không đến từ cửa sổ của tác tử.', en: "The request did not come from the agent's window." },
});

const refused = {
  untrusted: untrustedSender,
  unknownCommand: (name: unknown): ApiError => ({
    code: 'not_found',
    messages: { vi: `Không có lệnh "${String(name).slice(0, 64)}".`, en: `There is no command "${String(name).slice(0, 64)}".` },
  }),
  extraArguments: (): ApiError => ({
    code: 'invalid_input',
    messages: { vi: 'Lệnh chỉ nhận một đối tượng dữ liệu vào.', en: 'A command takes exactly one input object.' },
  }),
  internal: (): ApiError => ({
    code: 'internal',
    messages: { vi: 'Tác tử gặp lỗi nội bộ khi xử lý lệnh.', en: 'The agent hit an internal error while handling the command.' },
  }),
};

/** Trusts a frame only while it shows the app's own page. */
export function trustAppFrames(appUrl: string): (frame: SenderFrame) => boolean {
  return (frame) => frame !== null && typeof frame.url === 'string' && isAppUrl(frame.url, appUrl);
}

/**
 * Registers the call handler and forwards every AgentApi event to the windows
 * `sinks()` names. Returns a function that undoes both.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  api: AgentApi,
  isTrustedSender: (frame: SenderFrame) => boolean,
  sinks: () => Iterable<EventSink> = () => [],
): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, command, input, ...extra): Promise<ApiResult<unknown>> => {
    if (!isTrustedSender(event.senderFrame)) return { ok: false, error: refused.untrusted() };
    if (!isCommandName(command)) return { ok: false, error: refused.unknownCommand(command) };
    // The preload sends exactly (command, input); anything more is not our bridge.
    if (extra.length > 0) return { ok: false, error: refused.extraArguments() };
    const badShape = inputShapeProblem(input);
    if (badShape) return { ok: false, error: badShape };
    const parsed = parseCommandInput(command, input);
    if (!parsed.ok) return parsed;
    try {
      return await api.call(command, parsed.value as CommandInput<typeof command>);
    } catch {
      // An exception is an engine bug; its text (paths, SQL) stays in main.
      return { ok: false, error: refused.internal() };
    }
  });

  const unsubscribes = (Object.keys(events) as EventName[]).map((name) =>
    api.on(name, (payload) => {
      for (const sink of sinks()) if (!sink.isDestroyed()) sink.send(EVENT_CHANNEL, name, payload);
    }),
  );

  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
