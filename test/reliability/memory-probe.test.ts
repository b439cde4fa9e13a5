// The soak's memory probe (support/memory-probe.mjs) tells where a process's RSS is: these check, in a child process
// as the soak runs it, that what it calls glibc malloc's arenas and V8's pages are those.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const PROBE = join(import.meta.dirname, 'support/memory-probe.mjs');
const MB = 1024 * 1024;
const glibc = process.platform === 'linux' && Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);

type Split = { anonymous: number; mallocBrk: number; mallocArenas: number; arenaCount: number; v8Pages: number };
type Sample = Split & { heapPhysical: number; settled: Split };

// The child compresses on libuv's thread pool (each of its threads mallocs, so glibc gives it an arena), then on
// `retain` keeps 200,000 small objects (some 45 MB of V8 heap in 256 KiB pages).
const CHILD = `
  const zlib = require('node:zlib');
  const kept = [];
  setInterval(() => undefined, 1000); // alive until killed (the probe's channel does not hold the process)
  let pending = 0;
  for (let i = 0; i < 64; i += 1) { pending += 1; zlib.gzip(Buffer.alloc(256 * 1024, i), () => { pending -= 1; }); }
  const ready = setInterval(() => { if (pending === 0) { clearInterval(ready); process.send({ type: 'ready' }); } }, 10);
  process.on('message', (m) => {
    if (m.type !== 'retain') return;
    for (let i = 0; i < 200000; i += 1) kept.push({ i, name: 'record ' + i, at: [i, i + 1] });
    process.send({ type: 'retained', count: kept.length });
  });
`;

async function probed(env: Record<string, string>, steps: (ask: (m: Record<string, unknown>) => Promise<Record<string, unknown>>) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', PROBE, '-e', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let exited = false;
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.on('message', (m: Record<string, unknown>) => {
    messages.push(m);
    wake();
  });
  child.on('exit', () => {
    exited = true;
    wake();
  });
  const next = async (type: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const i = messages.findIndex((m) => m['type'] === type);
      if (i >= 0) return messages.splice(i, 1)[0]!;
      if (exited) throw new Error(`the child exited before answering ${type}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  try {
    await next('ready');
    let id = 0;
    await steps(async (m) => {
      child.send({ ...m, id: (id += 1) });
      return next(m['type'] === 'retain' ? 'retained' : (m['type'] as string));
    });
  } finally {
    child.kill();
  }
}

test('the probe counts glibc malloc arenas: one per thread-pool thread by default, at most one besides the main arena with MALLOC_ARENA_MAX=2', { skip: !glibc && 'glibc on Linux only' }, async () => {
  for (const [env, check] of [
    [{}, (n: number) => assert.ok(n >= 4, `${n} arenas besides the main one, for 4 thread-pool threads`)],
    [{ MALLOC_ARENA_MAX: '2' }, (n: number) => assert.ok(n <= 1, `${n} arenas besides the main one with MALLOC_ARENA_MAX=2`)],
  ] as const) {
    await probed(env, async (ask) => {
      const s = (await ask({ type: 'sample' })) as unknown as Sample;
      check(s.arenaCount);
      assert.ok(s.mallocBrk + s.mallocArenas + s.v8Pages <= s.anonymous, 'arenas and V8 pages are parts of the anonymous RSS, counted once');
    });
  }
});

test("the probe's V8 pages grow with the heap, malloc's arenas do not", { skip: !glibc && 'glibc on Linux only' }, async () => {
  await probed({}, async (ask) => {
    const before = (await ask({ type: 'sample' })) as unknown as Sample;
    await ask({ type: 'retain' });
    const after = (await ask({ type: 'sample' })) as unknown as Sample;
    const heap = (after.heapPhysical - before.heapPhysical) / MB;
    const pages = (after.settled.v8Pages - before.settled.v8Pages) / MB;
    const malloc = (after.settled.mallocBrk + after.settled.mallocArenas - before.settled.mallocBrk - before.settled.mallocArenas) / MB;
    assert.ok(heap > 20, `V8's committed heap grew by ${heap.toFixed(1)} MB`);
    assert.ok(pages > heap * 0.8, `V8 pages grew by ${pages.toFixed(1)} MB for ${heap.toFixed(1)} MB of heap`);
    // V8 keeps some side tables of its heap in malloc's memory: a few MB for this much.
    assert.ok(malloc < heap * 0.2, `malloc's arenas grew by ${malloc.toFixed(1)} MB for ${heap.toFixed(1)} MB of heap`);
  });
});
