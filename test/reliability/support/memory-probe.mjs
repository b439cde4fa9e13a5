// Loaded with `--import` (and `--expose-gc`) into the soak's child processes only (service-soak.ts): over the IPC
// channel the soak opened, it answers `sample` with the process's memory after two full collections, and `snapshot`
// with the path of a heap snapshot. Production code knows nothing of it.
//
// Besides process.memoryUsage(), a sample tells where the RSS is (Linux only; the fields are absent elsewhere):
// - from /proc/self/status: VmRSS (the RSS again, read with the rest: V8 may have released pages since
//   process.memoryUsage() read `rss` a moment before), RssAnon, RssFile, RssShmem, VmHWM (peak RSS), the threads;
// - from /proc/self/smaps_rollup: Anonymous and LazyFree (pages given back with MADV_FREE, which still count in the
//   RSS until the kernel needs the memory);
// - from /proc/self/smaps: glibc malloc's memory, the main arena ([heap], grown with brk) and the other arenas
//   (each thread that mallocs may get its own: heaps of 64 MiB address space, 64 MiB-aligned, the unused part
//   mapped ---p), with their count; and V8's pages: anonymous mappings 256 KiB-aligned and a multiple of 256 KiB
//   long (V8 maps each page of its heap on its own; Node 20 has no pointer-compression cage), which also counts the
//   pages V8 holds without counting them in its committed heap (its pool of freed pages) and, rarely, a large malloc
//   chunk or a thread stack that happens to look the same (approximate);
// - from V8: the heap's committed physical memory and V8's own malloc'd memory.
// Anonymous RSS less V8's pages and malloc's arenas is then mostly thread stacks, malloc's large chunks (mmap'd
// each on its own), V8's large objects and other reservations. All of these are read right after the collections, as the
// RSS always was; `settled` has the RSS and the split read again a second later, the process idle meanwhile (the soak
// waits for the answer), to tell memory a collection frees a moment later (V8 releases pages from background threads)
// from memory kept.
import { readFileSync } from 'node:fs';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';

const KB = 1024;
const ARENA_HEAP = 64 * 1024 * 1024;
const V8_PAGE = 256 * 1024;
const THREAD_STACK = 8 * 1024 * 1024;

/** `Name:   123 kB` lines of a /proc file, in bytes (counts without a unit as they are). */
const fields = (path) => {
  const out = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^(\w+):\s+(\d+)(?:\s+kB)?$/.exec(line);
    if (m) out[m[1]] = Number(m[2]) * (line.endsWith('kB') ? KB : 1);
  }
  return out;
};

/** From /proc/self/smaps: glibc malloc's main arena (brk heap) and other arenas' heaps, and what looks like V8's pages. */
const mallocArenas = () => {
  const maps = [];
  let current = null;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      current = { start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perms: head[3], inode: head[4], path: head[5], rss: 0 };
      maps.push(current);
    } else if (current && line.startsWith('Rss:')) {
      current.rss = Number(/(\d+)/.exec(line)[1]) * KB;
    }
  }
  const anonymous = (m) => m && m.inode === '0' && m.path === '';
  let brk = 0;
  let arenas = 0;
  let arenaCount = 0;
  let v8Pages = 0;
  for (let i = 0; i < maps.length; i += 1) {
    const m = maps[i];
    if (m.path === '[heap]') brk += m.rss;
    if (!anonymous(m) || m.perms === '---p') continue;
    const next = maps[i + 1];
    const reserved = anonymous(next) && next.perms === '---p' && next.start === m.end ? next.end - m.start : m.end - m.start;
    const size = m.end - m.start;
    if (m.perms === 'rw-p' && m.start % BigInt(ARENA_HEAP) === 0n && reserved === BigInt(ARENA_HEAP)) {
      arenas += m.rss;
      arenaCount += 1;
    } else if (m.start % BigInt(V8_PAGE) === 0n && size % BigInt(V8_PAGE) === 0n && size < BigInt(THREAD_STACK)) {
      v8Pages += m.rss;
    }
  }
  return { mallocBrk: brk, mallocArenas: arenas, arenaCount, v8Pages };
};

const where = () => {
  if (process.platform !== 'linux') return {};
  const status = fields('/proc/self/status');
  const rollup = fields('/proc/self/smaps_rollup');
  return {
    vmRss: status.VmRSS,
    rssAnon: status.RssAnon,
    rssFile: status.RssFile,
    rssShmem: status.RssShmem,
    peakRss: status.VmHWM,
    threads: status.Threads,
    anonymous: rollup.Anonymous,
    lazyFree: rollup.LazyFree,
    ...mallocArenas(),
  };
};

/** The sample the soak asked for: the figures read right after the collections, and the RSS read again later. */
const answer = (id, m, v8, now) => {
  const settled = { rss: process.memoryUsage.rss(), ...where() };
  process.send({
    type: 'sample',
    id,
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    heapPhysical: v8.total_physical_size,
    v8Malloced: v8.malloced_memory,
    ...now,
    settled,
  });
};

if (typeof process.send === 'function') {
  process.on('message', (message) => {
    if (message?.type === 'sample') {
      globalThis.gc?.();
      globalThis.gc?.();
      const m = process.memoryUsage();
      const v8 = getHeapStatistics();
      const now = where();
      setTimeout(() => answer(message.id, m, v8, now), 1000);
    } else if (message?.type === 'snapshot') {
      process.send({ type: 'snapshot', id: message.id, path: writeHeapSnapshot(message.path) });
    }
  });
  // The channel must not keep the process alive: it stops on SIGTERM/SIGINT as it would without the probe.
  process.channel?.unref();
}
