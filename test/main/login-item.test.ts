import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStartAtLogin, HIDDEN_ARG, startedHidden, type LoginItemApp } from '../../main/src/login-item.js';

function fakeApp() {
  const writes: { openAtLogin: boolean; args?: string[] }[] = [];
  const queries: ({ args?: string[] } | undefined)[] = [];
  let openAtLogin = false;
  const app: LoginItemApp = {
    getLoginItemSettings: (options) => {
      queries.push(options);
      return { openAtLogin };
    },
    setLoginItemSettings: (settings) => {
      writes.push(settings);
      openAtLogin = settings.openAtLogin;
    },
  };
  return { app, writes, queries };
}

test('start at login is read and written through the login item, started hidden', () => {
  for (const platform of ['win32', 'darwin'] as const) {
    const { app, writes, queries } = fakeApp();
    const setting = createStartAtLogin(app, platform);
    assert.ok(setting, platform);
    assert.equal(setting.get(), false);
    setting.set(true);
    assert.equal(setting.get(), true);
    setting.set(false);
    assert.deepEqual(writes, [{ openAtLogin: true, args: [HIDDEN_ARG] }, { openAtLogin: false, args: [HIDDEN_ARG] }]);
    assert.deepEqual(queries[0], { args: [HIDDEN_ARG] }, 'Windows matches the entry by its arguments');
  }
});

test('on Linux there is no login item, so no setting is offered', () => {
  assert.equal(createStartAtLogin(fakeApp().app, 'linux'), null);
});

test('a start from the login item keeps the window in the tray', () => {
  assert.equal(startedHidden(['electron', 'main.mjs', HIDDEN_ARG]), true);
  assert.equal(startedHidden(['electron', 'main.mjs']), false);
});
