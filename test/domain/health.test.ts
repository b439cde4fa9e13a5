import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth, formatDuration, latencySeries } from '../../sync-engine/src/domain/index.js';
import type { HealthState, ProbeSample } from '../../sync-engine/src/domain/index.js';

const NOW = Date.UTC(2025, 6, 1, 8, 0, 0);
const MIN = 60_000;

function ok(at: number, latencyMs = 120, skewMs: number | null = 0): ProbeSample {
  return { at, ok: true, latencyMs, httpStatus: 200, errorCode: null, skewMs };
}
function failed(at: number, errorCode: string | null, httpStatus: number | null = null, skewMs: number | null = null): ProbeSample {
  return { at, ok: false, latencyMs: httpStatus === null ? null : 80, httpStatus, errorCode, skewMs };
}

interface Row {
  name: string;
  samples: ProbeSample[];
  state: HealthState;
  code: string;
  /** Fragments each sentence must contain. */
  en?: string[];
  vi?: string[];
}

const rows: Row[] = [
  // Not known, so not offline: right after enrollment, before the first probe.
  { name: 'no probe yet is not checked, not offline', samples: [], state: 'unchecked', code: 'never_checked', en: ['not been checked', 'by itself'], vi: ['Chưa kiểm tra kết nối', 'tự kiểm tra'] },
  {
    name: 'a revoked agent is told to ask the platform operator',
    samples: [ok(NOW - 2 * MIN), failed(NOW, 'agent_revoked', 401)],
    state: 'unauthorized',
    code: 'agent_revoked',
    en: ['revoked', 'operator'],
    vi: ['thu hồi', 'người quản trị'],
  },
  {
    name: 'a pending agent is awaiting approval',
    samples: [failed(NOW, 'agent_pending', 401)],
    state: 'unauthorized',
    code: 'agent_pending',
    en: ['awaiting approval'],
    vi: ['chờ', 'phê duyệt'],
  },
  { name: 'an unknown agent must enroll again', samples: [failed(NOW, 'unknown_agent', 401)], state: 'unauthorized', code: 'unknown_agent', en: ['enroll it again'] },
  { name: 'a bad signature goes to local IT', samples: [failed(NOW, 'bad_signature', 401)], state: 'unauthorized', code: 'bad_signature', en: ['signature', 'local IT'] },
  {
    name: 'identity problems come before clock problems',
    samples: [failed(NOW, 'agent_revoked', 401, 3_600_000)],
    state: 'unauthorized',
    code: 'agent_revoked',
  },
  {
    name: 'a clock_skew refusal without a measurement says "more than 5 minutes"',
    samples: [failed(NOW, 'clock_skew', 401)],
    state: 'clock_skew',
    code: 'clock_skew',
    en: ['more than 5 minutes', "Set this computer's clock"],
    vi: ['lệch quá 5 phút', 'chỉnh lại đồng hồ'],
  },
  {
    name: 'a measured skew over the limit says by how much and which way, even when the probe succeeded',
    samples: [ok(NOW, 100, 7 * MIN)],
    state: 'clock_skew',
    code: 'clock_skew',
    en: ['7 minutes ahead of', "Set this computer's clock"],
    vi: ['chạy nhanh 7 phút'],
  },
  {
    name: 'a clock hours behind',
    samples: [ok(NOW, 100, -(2 * 60 + 5) * MIN)],
    state: 'clock_skew',
    code: 'clock_skew',
    en: ['2 hours 5 minutes behind'],
    vi: ['chạy chậm 2 giờ 5 phút'],
  },
  {
    name: 'no network',
    samples: [ok(NOW - MIN), failed(NOW, 'network')],
    state: 'offline',
    code: 'network',
    en: ['Cannot reach the national platform', 'kept safely on this computer'],
    vi: ['Không kết nối được với nền tảng quốc gia'],
  },
  { name: 'a timeout', samples: [failed(NOW, 'timeout')], state: 'offline', code: 'timeout', en: ['did not answer in time'] },
  { name: 'a certificate problem', samples: [failed(NOW, 'tls')], state: 'offline', code: 'tls', en: ['certificate', 'local IT'] },
  { name: 'an unclassified failure without any answer', samples: [failed(NOW, null)], state: 'offline', code: 'unreachable' },
  { name: 'maintenance', samples: [failed(NOW, 'maintenance', 503)], state: 'degraded', code: 'maintenance', en: ['maintenance'], vi: ['bảo trì'] },
  { name: 'rate limited', samples: [failed(NOW, 'rate_limited', 429)], state: 'degraded', code: 'rate_limited', en: ['asked us to wait'] },
  { name: 'a server error', samples: [failed(NOW, 'server_error', 500)], state: 'degraded', code: 'server_error' },
  { name: 'an unclassified 5xx is a server error', samples: [failed(NOW, null, 502)], state: 'degraded', code: 'server_error' },
  {
    name: 'an unexpected answer names its code',
    samples: [failed(NOW, 'replayed', 404)],
    state: 'degraded',
    code: 'unexpected_response',
    en: ['(code 404)'],
    vi: ['(mã 404)'],
  },
  {
    name: 'a slow answer gives the time with the right decimal mark per language',
    samples: [ok(NOW, 3_240)],
    state: 'degraded',
    code: 'slow',
    en: ['3.2 s'],
    vi: ['3,2 giây'],
  },
  {
    name: 'failures in the last ten minutes make a working connection unstable',
    samples: [ok(NOW - 8 * MIN), failed(NOW - 5 * MIN, 'network'), ok(NOW)],
    state: 'degraded',
    code: 'unstable',
    en: ['1 of the last 3 checks failed'],
    vi: ['1 trong 3 lần kiểm tra'],
  },
  {
    name: 'a clock drifting towards the limit is a warning',
    samples: [ok(NOW, 100, -2 * MIN)],
    state: 'degraded',
    code: 'clock_drift',
    en: ['2 minutes behind', 'more than 5 minutes off'],
    vi: ['chạy chậm 2 phút'],
  },
  {
    name: 'failures older than the recent window are forgotten',
    samples: [failed(NOW - 30 * MIN, 'network'), ok(NOW - 2 * MIN), ok(NOW)],
    state: 'online',
    code: 'ok',
    en: ['Connected'],
    vi: ['Đã kết nối'],
  },
];

for (const row of rows) {
  test(`health: ${row.name}`, () => {
    const assessment = assessHealth(row.samples, NOW);
    assert.equal(assessment.state, row.state);
    assert.equal(assessment.reason.code, row.code);
    for (const fragment of row.en ?? []) assert.ok(assessment.reason.en.includes(fragment), `en: ${assessment.reason.en}`);
    for (const fragment of row.vi ?? []) assert.ok(assessment.reason.vi.includes(fragment), `vi: ${assessment.reason.vi}`);
  });
}

test('every reason is a full sentence in both languages, the Vietnamese one with diacritics', () => {
  for (const row of rows) {
    const { reason } = assessHealth(row.samples, NOW);
    assert.match(reason.en, /\.$/, row.name);
    assert.match(reason.vi, /\.$/, row.name);
    assert.notEqual(reason.vi, reason.en);
    assert.match(reason.vi, /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i, reason.vi);
  }
});

test('the assessment reports the latest latency, and thresholds can be tuned', () => {
  assert.equal(assessHealth([ok(NOW - MIN, 50), ok(NOW, 900)], NOW).latencyMs, 900);
  assert.equal(assessHealth([ok(NOW, 900)], NOW, { slowLatencyMs: 500 }).state, 'degraded');
  assert.equal(assessHealth([ok(NOW, 100, 90_000)], NOW, { skewLimitMs: 60_000 }).state, 'clock_skew');
  assert.equal(assessHealth([ok(NOW, 100, 90_000)], NOW, { skewWarnMs: 120_000 }).state, 'online');
  assert.equal(assessHealth([ok(NOW, 100)], NOW, { slowLatencyMs: undefined }).state, 'online');
});

test('durations are said in the unit a person would use', () => {
  assert.deepEqual(formatDuration(45_000), { vi: '45 giây', en: '45 seconds' });
  assert.deepEqual(formatDuration(60_000), { vi: '1 phút', en: '1 minute' });
  assert.deepEqual(formatDuration(3_600_000), { vi: '1 giờ', en: '1 hour' });
  assert.deepEqual(formatDuration(3 * 86_400_000 + 2 * 3_600_000 + 59_000), { vi: '3 ngày 2 giờ', en: '3 days 2 hours' });
});

test('the latency series has one bucket per half hour over 24 h, with the median and the failures', () => {
  const samples = [
    ok(NOW - 25 * 60 * MIN, 999), // before the window: ignored
    ok(NOW - 24 * 60 * MIN + MIN, 100),
    ok(NOW - 24 * 60 * MIN + 2 * MIN, 300),
    ok(NOW - 24 * 60 * MIN + 3 * MIN, 200),
    ok(NOW - 20 * MIN, 100),
    ok(NOW - 10 * MIN, 400),
    failed(NOW - 5 * MIN, 'network'),
    ok(NOW, 50), // exactly now: in the last bucket
    ok(NOW + MIN, 999), // in the future: ignored
  ];
  const series = latencySeries(samples, NOW);
  assert.equal(series.length, 48);
  assert.equal(series[0]?.at, NOW - 24 * 60 * MIN);
  assert.equal((series[1]?.at ?? 0) - (series[0]?.at ?? 0), 30 * MIN);
  assert.deepEqual(series[0], { at: NOW - 24 * 60 * MIN, p50: 200, failures: 0, samples: 3 });
  assert.deepEqual(series[47], { at: NOW - 30 * MIN, p50: 100, failures: 1, samples: 4 });
  assert.ok(series.slice(1, 47).every((b) => b.p50 === null && b.failures === 0 && b.samples === 0));
});

test('the latency series takes its window and bucket count as arguments', () => {
  const series = latencySeries([ok(NOW - 1, 10), failed(NOW - 2, 'timeout')], NOW, 60 * MIN, 6);
  assert.equal(series.length, 6);
  assert.deepEqual(series[5], { at: NOW - 10 * MIN, p50: 10, failures: 1, samples: 2 });
});
