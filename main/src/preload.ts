/**
 * The sandboxed preload's entry. scripts/build-main.mjs bundles it with esbuild
 * into one CommonJS file whose only require is 'electron' (a sandboxed preload
 * can require nothing else).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeEdgeAgent } from './preload-bridge.js';

exposeEdgeAgent(contextBridge, ipcRenderer);
