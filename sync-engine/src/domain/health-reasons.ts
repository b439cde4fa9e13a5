/**
 * The sentences behind each connection-health reason, in Vietnamese and
 * English, written for a clerk rather than an engineer: what is wrong, whether
 * their work is safe, and who acts. The Overview shows one of them next to the
 * state's colour; `code` is stable for logs, tests and translations.
 */

export type HealthReasonCode =
  | 'ok'
  | 'never_checked'
  | 'agent_revoked'
  | 'agent_pending'
  | 'unknown_agent'
  | 'bad_signature'
  | 'clock_skew'
  | 'clock_drift'
  | 'network'
  | 'timeout'
  | 'tls'
  | 'unreachable'
  | 'maintenance'
  | 'rate_limited'
  | 'server_error'
  | 'unexpected_response'
  | 'slow'
  | 'unstable';

export interface HealthReason {
  code: HealthReasonCode;
  vi: string;
  en: string;
}

const KEPT_VI = 'Các thay đổi vẫn được lưu an toàn trên máy này và sẽ được gửi khi kết nối lại.';
const KEPT_EN = 'Changes are kept safely on this computer and will be sent once the connection is back.';
const RETRY_VI = 'Máy sẽ tự thử lại, không cần thao tác gì.';
const RETRY_EN = 'The agent will retry by itself; nothing to do.';

/** Reasons that need no numbers. */
const FIXED: Record<Exclude<HealthReasonCode, 'clock_skew' | 'clock_drift' | 'unexpected_response' | 'slow' | 'unstable'>, [string, string]> = {
  ok: ['Đã kết nối với nền tảng quốc gia.', 'Connected to the national platform.'],
  never_checked: [
    'Chưa kiểm tra kết nối với nền tảng quốc gia. Máy tự kiểm tra khi đồng bộ; các thay đổi vẫn được lưu an toàn trên máy này.',
    'The connection to the national platform has not been checked yet. The agent checks it by itself when it syncs; changes are kept safely on this computer.',
  ],
  agent_revoked: [
    'Máy này đã bị thu hồi quyền đồng bộ. Hãy liên hệ người quản trị nền tảng quốc gia.',
    "This computer's permission to sync has been revoked. Ask the national platform operator.",
  ],
  agent_pending: [
    'Máy này đang chờ người quản trị nền tảng quốc gia phê duyệt. Dữ liệu sẽ được đồng bộ sau khi được duyệt.',
    "This computer is awaiting approval by the national platform operator. Data will sync once it is approved.",
  ],
  unknown_agent: [
    'Nền tảng quốc gia không nhận ra máy này. Hãy nhờ bộ phận CNTT đăng ký lại máy.',
    'The national platform does not recognise this computer. Ask local IT to enroll it again.',
  ],
  bad_signature: [
    'Nền tảng quốc gia từ chối chữ ký của máy này. Hãy nhờ bộ phận CNTT kiểm tra việc đăng ký máy.',
    "The national platform rejected this computer's signature. Ask local IT to check its enrollment.",
  ],
  network: [
    `Không kết nối được với nền tảng quốc gia. Hãy kiểm tra mạng của đơn vị. ${KEPT_VI}`,
    `Cannot reach the national platform. Check the office network. ${KEPT_EN}`,
  ],
  timeout: [
    `Nền tảng quốc gia không phản hồi kịp. Mạng có thể đang rất chậm. ${KEPT_VI}`,
    `The national platform did not answer in time; the network may be very slow. ${KEPT_EN}`,
  ],
  tls: [
    `Không tạo được kết nối an toàn với nền tảng quốc gia (lỗi chứng chỉ). Hãy báo cho bộ phận CNTT. ${KEPT_VI}`,
    `Cannot make a secure connection to the national platform (certificate problem). Tell local IT. ${KEPT_EN}`,
  ],
  unreachable: [
    `Không liên lạc được với nền tảng quốc gia. ${KEPT_VI}`,
    `The national platform cannot be reached. ${KEPT_EN}`,
  ],
  maintenance: [
    `Nền tảng quốc gia đang bảo trì. ${RETRY_VI}`,
    `The national platform is under maintenance. ${RETRY_EN}`,
  ],
  rate_limited: [
    `Nền tảng quốc gia đang bận và yêu cầu chờ một lúc. ${RETRY_VI}`,
    `The national platform is busy and asked us to wait a while. ${RETRY_EN}`,
  ],
  server_error: [
    `Nền tảng quốc gia đang gặp sự cố. ${RETRY_VI}`,
    `The national platform is having a problem. ${RETRY_EN}`,
  ],
};

export function fixedReason(code: keyof typeof FIXED): HealthReason {
  const [vi, en] = FIXED[code];
  return { code, vi, en };
}

/**
 * The clock is off by more than the platform accepts (signed requests fail).
 * `skewMs` = this computer's clock minus the platform's; null when unmeasured.
 */
export function clockSkewReason(skewMs: number | null, limitMs: number): HealthReason {
  const fix = { vi: 'Hãy chỉnh lại đồng hồ (ngày, giờ) của máy này.', en: "Set this computer's clock (date and time)." };
  if (skewMs === null) {
    const limit = formatDuration(limitMs);
    return {
      code: 'clock_skew',
      vi: `Đồng hồ của máy này lệch quá ${limit.vi} so với nền tảng quốc gia nên việc đồng bộ bị từ chối. ${fix.vi}`,
      en: `This computer's clock is more than ${limit.en} off the national platform's, so sync is refused. ${fix.en}`,
    };
  }
  const off = describeSkew(skewMs);
  return {
    code: 'clock_skew',
    vi: `Đồng hồ của máy này ${off.vi} so với nền tảng quốc gia nên việc đồng bộ bị từ chối. ${fix.vi}`,
    en: `This computer's clock is ${off.en} the national platform's, so sync is refused. ${fix.en}`,
  };
}

/** Still within the limit but drifting towards it: a warning before sync fails. */
export function clockDriftReason(skewMs: number, limitMs: number): HealthReason {
  const off = describeSkew(skewMs);
  const limit = formatDuration(limitMs);
  return {
    code: 'clock_drift',
    vi: `Đồng hồ của máy này ${off.vi} so với nền tảng quốc gia. Hãy chỉnh lại đồng hồ trước khi lệch quá ${limit.vi}, nếu không việc đồng bộ sẽ bị từ chối.`,
    en: `This computer's clock is ${off.en} the national platform's. Set it before it is more than ${limit.en} off, or sync will be refused.`,
  };
}

export function unexpectedResponseReason(httpStatus: number | null): HealthReason {
  const code = httpStatus === null ? '' : ` (mã ${httpStatus})`;
  const codeEn = httpStatus === null ? '' : ` (code ${httpStatus})`;
  return {
    code: 'unexpected_response',
    vi: `Nền tảng quốc gia trả lời bất thường${code}. Máy sẽ tự thử lại; nếu lỗi kéo dài, hãy báo cho bộ phận CNTT.`,
    en: `The national platform gave an unexpected answer${codeEn}. The agent will retry by itself; if it lasts, tell local IT.`,
  };
}

export function slowReason(latencyMs: number): HealthReason {
  const seconds = (Math.round(latencyMs / 100) / 10).toFixed(1);
  return {
    code: 'slow',
    vi: `Kết nối chậm: nền tảng quốc gia phản hồi sau ${seconds.replace('.', ',')} giây. Việc đồng bộ vẫn tiếp tục nhưng có thể lâu hơn.`,
    en: `The connection is slow: the national platform took ${seconds} s to answer. Sync continues but may take longer.`,
  };
}

export function unstableReason(failures: number, checks: number): HealthReason {
  return {
    code: 'unstable',
    vi: `Kết nối chập chờn: ${failures} trong ${checks} lần kiểm tra gần đây không thành công. Việc đồng bộ vẫn tiếp tục và tự thử lại khi cần.`,
    en: `The connection is unstable: ${failures} of the last ${checks} checks failed. Sync continues and retries by itself when needed.`,
  };
}

/** "nhanh 7 phút" / "7 minutes ahead of". Positive skew = this computer is ahead. */
function describeSkew(skewMs: number): { vi: string; en: string } {
  const amount = formatDuration(Math.abs(skewMs));
  return skewMs >= 0
    ? { vi: `chạy nhanh ${amount.vi}`, en: `${amount.en} ahead of` }
    : { vi: `chạy chậm ${amount.vi}`, en: `${amount.en} behind` };
}

/** A duration in words, to the unit a person would say: seconds, minutes, hours and minutes, days and hours. */
export function formatDuration(ms: number): { vi: string; en: string } {
  const abs = Math.abs(ms);
  if (abs < 59_500) {
    const s = Math.max(1, Math.round(abs / 1000));
    return { vi: `${s} giây`, en: plural(s, 'second') };
  }
  const totalMinutes = Math.round(abs / 60_000);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) {
    return hours > 0
      ? { vi: `${days} ngày ${hours} giờ`, en: `${plural(days, 'day')} ${plural(hours, 'hour')}` }
      : { vi: `${days} ngày`, en: plural(days, 'day') };
  }
  if (hours > 0) {
    return minutes > 0
      ? { vi: `${hours} giờ ${minutes} phút`, en: `${plural(hours, 'hour')} ${plural(minutes, 'minute')}` }
      : { vi: `${hours} giờ`, en: plural(hours, 'hour') };
  }
  return { vi: `${minutes} phút`, en: plural(minutes, 'minute') };
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
