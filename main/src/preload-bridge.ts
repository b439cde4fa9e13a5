import type { AgentApi, CommandInput, CommandName, CommandOutput, ApiResult, EventName, EventPayload } from '../../sync-engine/src/api/index.js';
import { CALL_CHANNEL, EVENT_CHANNEL, SAVE_FILE_CHANNEL } from './channels.js';
import type { SaveFileAnswer } from './save-file.js';

/**
 * What the sandboxed preload exposes as `window.edgeAgent`: three functions and
 * nothing else, the AgentApi's two (typed by its contract through `import type`
 * only: no zod or engine code ships in the preload) and saveFile, the Save
 * dialog for a file the page holds (main/src/save-file.ts). Main validates every argument; the
 * bridge only refuses what is obviously not a call, and never hands the page an
 * IpcRendererEvent (it would expose the sender).
 */
export type IpcRendererLike = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
};

export type ContextBridgeLike = { exposeInMainWorld(apiKey: string, api: unknown): void };

export const BRIDGE_KEY = 'edgeAgent';

export function createEdgeAgentBridge(ipcRenderer: IpcRendererLike) {
  const bridge = {
    call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<ApiResult<CommandOutput<C>>> {
      if (typeof command !== 'string') return Promise.reject(new TypeError('edgeAgent.call: command must be a string'));
      return ipcRenderer.invoke(CALL_CHANNEL, command, input) as Promise<ApiResult<CommandOutput<C>>>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (typeof event !== 'string' || typeof listener !== 'function') throw new TypeError('edgeAgent.on: (event, listener)');
      const relay = (_event: unknown, name: unknown, payload: unknown) => {
        if (name === event) listener(payload as EventPayload<E>);
      };
      ipcRenderer.on(EVENT_CHANNEL, relay as (event: unknown, ...args: unknown[]) => void);
      return () => {
        ipcRenderer.removeListener(EVENT_CHANNEL, relay as (event: unknown, ...args: unknown[]) => void);
      };
    },
    saveFile(suggestedName: string, bytes: Uint8Array): Promise<SaveFileAnswer> {
      // The bytes are checked in main (an instanceof here could meet another realm's Uint8Array).
      if (typeof suggestedName !== 'string') return Promise.reject(new TypeError('edgeAgent.saveFile: suggestedName must be a string'));
      return ipcRenderer.invoke(SAVE_FILE_CHANNEL, suggestedName, bytes) as Promise<SaveFileAnswer>;
    },
  } satisfies AgentApi & { saveFile: unknown };
  return bridge;
}

export function exposeEdgeAgent(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  contextBridge.exposeInMainWorld(BRIDGE_KEY, createEdgeAgentBridge(ipcRenderer));
}
