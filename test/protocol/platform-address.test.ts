import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPlatformAddress as rendererCheck } from '../../renderer/src/model/platform-address.js';
import { checkPlatformAddress, isLoopbackHost } from '../../sync-engine/src/protocol/platform-address.js';

/** Addresses and the rule's answer: null = accepted, otherwise the problem. */
const CASES: ReadonlyArray<[string, null | 'not_url' | 'scheme' | 'plain_http_remote']> = [
  ['https://ndxp.example.gov.vn', null],
  ['https://10.0.0.5:8443/base', null],
  ['HTTPS://NDXP.EXAMPLE.GOV.VN', null],
  ['http://127.0.0.1:8080', null],
  ['http://127.8.9.10', null],
  ['http://localhost:3000/', null],
  ['HTTP://LOCALHOST', null],
  ['http://[::1]:8080', null],
  ['http://[0:0:0:0:0:0:0:1]/', null],
  ['http://ndxp.example.gov.vn', 'plain_http_remote'],
  ['http://10.0.0.5:8080', 'plain_http_remote'],
  ['http://192.168.1.20', 'plain_http_remote'],
  ['http://0.0.0.0:8080', 'plain_http_remote'],
  ['http://127.0.0.1.evil.com', 'plain_http_remote'],
  ['http://localhost.evil.com', 'plain_http_remote'],
  ['http://127.0.0.1@evil.com/', 'plain_http_remote'],
  ['http://evil.com#@127.0.0.1', 'plain_http_remote'],
  ['http://[::ffff:127.0.0.1]/', 'plain_http_remote'],
  ['http://[::2]/', 'plain_http_remote'],
  ['ftp://127.0.0.1', 'scheme'],
  ['file:///etc/passwd', 'scheme'],
  ['javascript:alert(1)', 'scheme'],
  ['ndxp.example.gov.vn', 'not_url'],
  ['', 'not_url'],
  [' https://ndxp.example.gov.vn', 'not_url'],
  ['https://ndxp example.gov.vn', 'not_url'],
];

test('https goes to any host; plain http only to localhost, 127.0.0.0/8 and ::1', () => {
  for (const [address, problem] of CASES) {
    const checked = checkPlatformAddress(address);
    assert.equal(checked.ok ? null : checked.problem, problem, address);
  }
});

test('a refusal says why and what to do, in Vietnamese and English', () => {
  const checked = checkPlatformAddress('http://ndxp.example.gov.vn');
  assert.equal(checked.ok, false);
  if (checked.ok) return;
  assert.match(checked.messages.vi, /http:\/\/ không mã hóa.*chính máy này|http:\/\/ không mã hóa.*máy này/);
  assert.match(checked.messages.vi, /https:\/\/.*cổng TLS/);
  assert.match(checked.messages.en, /only when the platform runs on this computer/);
  assert.match(checked.messages.en, /https:\/\/ address.*TLS \(HTTPS\) gateway/);
});

test('loopback listener names: localhost, 127.x.y.z and ::1, with or without brackets', () => {
  for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.255.255.254', '::1', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '10.0.0.5', '127.0.0.1.evil.com', '127.0.0.256', 'localhost.evil.com', 'ndxp.example.gov.vn']) assert.equal(isLoopbackHost(host), false, host);
});

test("the renderer's copy of the rule gives the same answer for every case", () => {
  for (const [address, problem] of CASES) {
    const checked = rendererCheck(address);
    assert.equal(checked.ok ? null : checked.problem, problem, address);
  }
});
