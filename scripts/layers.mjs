/**
 * Who may import whom (ARCHITECTURE.md), written as data and enforced by
 * `npm run lint` through eslint.config.js. Each layer lists path globs it
 * covers and import patterns it must not use; messages say why.
 */
export const layers = [
  {
    name: 'protocol',
    files: ['sync-engine/src/protocol/**/*.ts'],
    forbidden: [
      { pattern: '**/sync-engine/src/!(protocol)/**', message: 'the protocol module is shared with the platform: it imports nothing else of the engine' },
      { pattern: 'typeorm', message: 'the protocol module has no storage' },
      { pattern: 'got', message: 'the protocol module has no transport' },
    ],
  },
  {
    name: 'domain',
    files: ['sync-engine/src/domain/**/*.ts'],
    forbidden: [
      { pattern: 'typeorm', message: 'domain is pure: pass data in' },
      { pattern: 'got', message: 'domain is pure: no network' },
      { pattern: 'node-cron', message: 'domain is pure: time is an argument' },
      { pattern: 'node:fs', message: 'domain is pure: no file system' },
      { pattern: 'node:http', message: 'domain is pure: no network' },
      { pattern: '**/store/**', message: 'domain does not reach the store' },
      { pattern: '**/adapters/**', message: 'domain does not reach adapters' },
    ],
  },
  {
    name: 'api',
    files: ['sync-engine/src/api/**/*.ts'],
    forbidden: [
      { pattern: '**/store/**', message: 'the AgentApi contract has no I/O' },
      { pattern: '**/adapters/**', message: 'the AgentApi contract has no I/O' },
      { pattern: 'node:*', message: 'the AgentApi contract is shared with the renderer: no Node modules' },
    ],
  },
  {
    name: 'sync-engine',
    files: ['sync-engine/src/**/*.ts'],
    forbidden: [
      { pattern: 'electron', message: 'sync-engine is a plain Node library' },
      { pattern: 'react', message: 'sync-engine is a plain Node library' },
      { pattern: '**/main/**', message: 'sync-engine never imports the Electron shell' },
      { pattern: '**/renderer/**', message: 'sync-engine never imports the UI' },
      { pattern: '**/national-platform/**', message: 'the agent and the platform share only the protocol module' },
    ],
  },
  {
    name: 'engine-adapters-only',
    files: ['sync-engine/src/**/*.ts'],
    ignores: ['sync-engine/src/adapters/**', 'sync-engine/src/cli/**'],
    forbidden: [
      { pattern: 'got', message: 'only src/adapters/ imports got' },
      { pattern: 'node-cron', message: 'only src/adapters/ imports node-cron' },
    ],
  },
  {
    name: 'national-platform',
    files: ['national-platform/**/*.ts'],
    forbidden: [
      { pattern: '**/sync-engine/src/!(protocol)/**', message: 'the platform imports sync-engine/src/protocol only' },
      { pattern: '**/sync-engine/src/index.js', message: 'the platform imports sync-engine/src/protocol only' },
      { pattern: 'electron', message: 'the platform is a server' },
      { pattern: '**/main/**', message: 'the platform is a server' },
      { pattern: '**/renderer/**', message: 'the platform is a server' },
    ],
  },
  {
    name: 'main',
    files: ['main/**/*.ts'],
    forbidden: [
      { pattern: '**/sync-engine/src/!(index.js|api)/**', message: 'main imports sync-engine through its public entry (or the api contract)' },
      { pattern: '**/renderer/**', message: 'main does not import the UI code' },
      { pattern: '**/national-platform/**', message: 'main never imports the platform' },
    ],
  },
  {
    name: 'renderer',
    files: ['renderer/src/**/*.{ts,tsx}'],
    forbidden: [
      { pattern: '**/main/**', message: 'the renderer talks to the agent only through renderer/src/api/client.ts' },
      { pattern: '**/national-platform/**', message: 'the renderer never imports the platform' },
      { pattern: 'electron', message: 'the renderer is sandboxed: window.edgeAgent is its only door' },
      { pattern: 'node:*', message: 'the renderer has no Node' },
    ],
    /** Only type imports of these, and only from renderer/src/api/. */
    typeOnly: ['**/sync-engine/**'],
  },
];
