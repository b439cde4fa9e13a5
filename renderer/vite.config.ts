import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Builds the window's screens into renderer/dist, loaded by Electron from disk
 * and served by the local admin API as the web console; hence relative asset
 * paths (base './'). The strict CSP in index.html forbids inline scripts, so
 * nothing may be inlined: no module-preload polyfill, assets always as files.
 * `npm run dev:renderer` proxies /api to a running agent's admin API, at
 * EDGE_AGENT_ADMIN_URL (default the admin API's default port, 7420), with the
 * Host rewritten to the API's own (its loopback Host check); that API
 * must list the dev server's origin in its allowedOrigins, and the page is
 * opened with the admin token in its fragment (`#token=...`).
 */
const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server injects styles as <style> tags (hot reload), which the
 * console's CSP forbids; so only the dev server's page drops the CSP meta. Every
 * build keeps it, and the tests run against a build.
 */
const devServerWithoutCsp: Plugin = {
  name: 'dev-server-without-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
};

export default defineConfig({
  root,
  base: './',
  plugins: [react(), devServerWithoutCsp],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'chrome120',
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/api': { target: process.env.EDGE_AGENT_ADMIN_URL ?? 'http://127.0.0.1:7420', changeOrigin: true } },
  },
});
