// Loaded with `--import` (and `--expose-gc`) into the soak's child processes only (service-soak.ts): over the IPC
// channel the soak opened, it answers `sample` with the process's memory after two full collections, and `snapshot`
// with the path of a heap snapshot. Production code knows nothing of it.
import { writeHeapSnapshot } from 'node:v8';

if (typeof process.send === 'function') {
  process.on('message', (message) => {
    if (message?.type === 'sample') {
      globalThis.gc?.();
      globalThis.gc?.();
      const m = process.memoryUsage();
      process.send({ type: 'sample', id: message.id, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers });
    } else if (message?.type === 'snapshot') {
      process.send({ type: 'snapshot', id: message.id, path: writeHeapSnapshot(message.path) });
    }
  });
  // The channel must not keep the process alive: it stops on SIGTERM/SIGINT as it would without the probe.
  process.channel?.unref();
}
