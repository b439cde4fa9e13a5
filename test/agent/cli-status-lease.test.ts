import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { eventually } from './support/fake-time.js';
import { holdLease } from './support/hold-lease.js';

const temp = new TempDirs();
after(() => temp.cleanup());

test('edge-agent status names the computer and process that syncs the folder when it is not this one', async () => {
  const home = temp.make('cli-status-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const alone = await cli(home, ['status']);
  assert.match(alone.stdout, /Lần đồng bộ tiếp theo: — \(dịch vụ nền không chạy\)/);

  await holdLease(home, 'may-mot-cua-02/7316/k3j9');
  const vi = await cli(home, ['status']);
  assert.equal(vi.code, 0, vi.stderr);
  assert.match(vi.stdout, /Lần đồng bộ tiếp theo: — \(một chương trình khác trên máy may-mot-cua-02 \(tiến trình 7316\) đang đồng bộ thư mục này\)/);
  const en = await cli(home, ['--lang', 'en', 'status']);
  assert.match(en.stdout, /Next sync: — \(another program on may-mot-cua-02 \(process 7316\) syncs this folder\)/);
  assert.doesNotMatch(en.stdout, /k3j9/);
  const json = await cli(home, ['--json', 'status']);
  assert.deepEqual(json.json.leaseHeldBy, { host: 'may-mot-cua-02', pid: 7316 });
});

test('edge-agent run waiting in standby names the computer and process that syncs the folder, in Vietnamese and English', async () => {
  const home = temp.make('cli-run-standby-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  await holdLease(home, 'may-mot-cua-02/7316/k3j9');
  for (const [lang, expected] of [
    ['vi', /Một chương trình khác trên máy may-mot-cua-02 \(tiến trình 7316\) đang đồng bộ thư mục này; dịch vụ này chờ/],
    ['en', /Another program on may-mot-cua-02 \(process 7316\) syncs this folder; this service waits/],
  ] as const) {
    let out = '';
    const stop = new AbortController();
    const running = cli(home, ['--lang', lang, 'run', '--port', '0'], {
      stopSignal: stop.signal,
      streams: { out: (t) => void (out += t), err: (t) => void (out += t) },
    });
    await eventually(() => /syncs this folder|đang đồng bộ thư mục này/.test(out), 20_000);
    stop.abort();
    assert.equal((await running).code, 0, out);
    assert.match(out, expected);
    assert.doesNotMatch(out, /k3j9/, 'the lease\'s random part means nothing to IT');
  }
});
