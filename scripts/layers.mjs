/**
 * Who may import whom (ARCHITECTURE.md), written as data and enforced by
 * `npm run lint` through eslint.config.js. A layer's `inherits` names the wider
 * layers whose rules also bind it (ESLint replaces, not merges, a rule's options
 * between config blocks, so the wider rules are folded in explicitly). Patterns
 * are gitignore-style and match the import specifier as written.
 */
const ENGINE_FOLDERS = ['store', 'outbox', 'sync', 'records', 'import', 'export', 'conflicts', 'audit', 'search', 'health', 'adapters', 'cli', 'service', 'admin-api', 'schedule', 'api', 'domain'];

export const layers = [
  {
    name: 'sync-engine',
    files: ['sync-engine/src/**/*.ts'],
    forbidden: [
      { pattern: ['electron', 'electron/*'], message: 'sync-engine is a plain Node library' },
      { pattern: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'sync-engine is a plain Node library' },
      { pattern: ['**/main/**'], message: 'sync-engine never imports the Electron shell' },
      { pattern: ['**/renderer/**'], message: 'sync-engine never imports the UI' },
      { pattern: ['**/national-platform/**'], message: 'the agent and the platform share only the protocol module' },
    ],
  },
  {
    name: 'engine-core',
    files: ['sync-engine/src/**/*.ts'],
    ignores: ['sync-engine/src/adapters/**', 'sync-engine/src/cli/**'],
    inherits: ['sync-engine'],
    forbidden: [
      { pattern: ['got'], message: 'only src/adapters/ imports got' },
      { pattern: ['node-cron'], message: 'only src/adapters/ imports node-cron' },
    ],
  },
  {
    name: 'protocol',
    files: ['sync-engine/src/protocol/**/*.ts'],
    inherits: ['sync-engine', 'engine-core'],
    forbidden: [
      { pattern: ENGINE_FOLDERS.map((f) => `**/${f}/**`), message: 'the protocol module is shared with the platform: it imports nothing else of the engine' },
      { pattern: ['typeorm', 'sqlite3', 'pg'], message: 'the protocol module has no storage' },
    ],
  },
  {
    name: 'domain',
    files: ['sync-engine/src/domain/**/*.ts'],
    inherits: ['sync-engine', 'engine-core'],
    forbidden: [
      { pattern: ['typeorm', 'sqlite3', 'node:fs', 'node:fs/*', 'fs', 'node:http', 'node:https', 'node:net', 'node:child_process'], message: 'domain is pure: pass data, time and randomness in' },
      { pattern: ['**/store/**', '**/adapters/**', '**/sync/**', '**/outbox/**'], message: 'domain does not reach stateful parts' },
    ],
  },
  {
    name: 'api',
    files: ['sync-engine/src/api/**/*.ts'],
    inherits: ['sync-engine', 'engine-core'],
    forbidden: [
      { pattern: ['**/store/**', '**/adapters/**', '**/sync/**', '**/outbox/**'], message: 'the AgentApi contract has no I/O' },
      { pattern: ['node:*', 'typeorm'], message: 'the AgentApi contract is shared with the renderer: no Node modules' },
    ],
  },
  {
    name: 'national-platform',
    files: ['national-platform/**/*.ts'],
    forbidden: [
      { pattern: ['**/sync-engine/src/*/**', '**/sync-engine/src/*.js', '!**/sync-engine/src/protocol/**'], message: 'the platform imports sync-engine/src/protocol only' },
      { pattern: ['electron', '**/main/**', '**/renderer/**'], message: 'the platform is a server' },
    ],
  },
  {
    name: 'main',
    files: ['main/**/*.ts'],
    forbidden: [
      { pattern: ['**/sync-engine/src/*/**', '**/sync-engine/src/*.js', '!**/sync-engine/src/index.js', '!**/sync-engine/src/api/**'], message: 'main imports sync-engine through its public entry (or the api contract)' },
      { pattern: ['**/renderer/**'], message: 'main does not import the UI code' },
      { pattern: ['**/national-platform/**'], message: 'main never imports the platform' },
    ],
  },
  {
    name: 'renderer',
    files: ['renderer/src/**/*.{ts,tsx}'],
    forbidden: [
      { pattern: ['**/main/**'], message: 'the renderer talks to the agent only through renderer/src/api/client.ts' },
      { pattern: ['**/national-platform/**'], message: 'the renderer never imports the platform' },
      { pattern: ['electron', 'node:*'], message: 'the renderer is sandboxed: window.edgeAgent is its only door' },
    ],
    /** Only `import type` of these. */
    typeOnly: [['**/sync-engine/**']],
  },
  {
    name: 'renderer-model',
    files: ['renderer/src/model/**/*.ts'],
    inherits: ['renderer'],
    forbidden: [
      {
        pattern: ['react', 'react-*', 'react/*', '../components/**', '../hooks/**', '../screens/**'],
        message: "the window's model is plain logic, tested from Node: no React, components, hooks or screens (their types bring React's DOM stubs into the tests' program)",
      },
    ],
  },
];
