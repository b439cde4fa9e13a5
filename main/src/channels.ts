/**
 * The IPC channels between the window and the main process: one prefix, three
 * names. This file is bundled into the sandboxed preload, so it imports nothing.
 */
export const CHANNEL_PREFIX = 'edge-agent:';
/** renderer -> main, invoke: (command, input) -> ApiResult */
export const CALL_CHANNEL = `${CHANNEL_PREFIX}call` as const;
/** main -> renderer, send: (eventName, payload) */
export const EVENT_CHANNEL = `${CHANNEL_PREFIX}event` as const;
/** renderer -> main, invoke: (suggestedName, bytes) -> SaveFileAnswer (main/src/save-file.ts) */
export const SAVE_FILE_CHANNEL = `${CHANNEL_PREFIX}save-file` as const;
