import type { FileSaver } from './api/save-file.js';
import type { AgentApi } from './api/types.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in the web console. */
    readonly edgeAgent?: AgentApi & FileSaver;
  }
}

export {};
