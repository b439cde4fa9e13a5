import { z } from 'zod';

/**
 * SYNC-PROTOCOL.md: "JSON over HTTPS (plain HTTP allowed only on loopback)".
 * The one rule for a platform address, wherever the agent takes one (settings,
 * enrollment, the provisioning file, the command line): https:// to any host,
 * http:// only to this computer. The renderer keeps a copy of the decision
 * (renderer/src/model/platform-address.ts, it may not import engine code);
 * a test holds the two to the same answers.
 */
export type PlatformAddressProblem = 'not_url' | 'scheme' | 'plain_http_remote';

export type PlatformAddressCheck =
  | { ok: true }
  | { ok: false; problem: PlatformAddressProblem; messages: { vi: string; en: string } };

/**
 * Loopback as a listener or a URL names it: `localhost`, 127.0.0.0/8 and ::1
 * (with or without brackets). A name that merely starts like one
 * (`127.0.0.1.example.com`, `localhost.example.com`) is not.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/** Why a platform address is refused, in words that read after the field's name ("Địa chỉ nền tảng: …"). */
const REASONS: Record<PlatformAddressProblem, { vi: string; en: string }> = {
  not_url: {
    vi: 'không phải một địa chỉ web đầy đủ; hãy nhập dạng https://ndxp.example.gov.vn.',
    en: 'is not a full web address; enter it as https://ndxp.example.gov.vn.',
  },
  scheme: {
    vi: 'phải bắt đầu bằng https://, ví dụ https://ndxp.example.gov.vn.',
    en: 'must start with https://, e.g. https://ndxp.example.gov.vn.',
  },
  plain_http_remote: {
    vi: 'http:// không mã hóa chỉ được dùng khi nền tảng chạy ngay trên máy này (localhost, 127.0.0.1, [::1]). Hãy dùng địa chỉ https:// của nền tảng, hoặc nhờ đơn vị vận hành nền tảng đặt một cổng TLS (HTTPS) phía trước.',
    en: 'unencrypted http:// is allowed only when the platform runs on this computer (localhost, 127.0.0.1, [::1]). Use the platform’s https:// address, or ask its operator to put a TLS (HTTPS) gateway in front of it.',
  },
};

export function checkPlatformAddress(text: string): PlatformAddressCheck {
  let url: URL;
  try {
    if (/\s/.test(text)) throw new TypeError('whitespace');
    url = new URL(text);
  } catch {
    return refused('not_url');
  }
  if (url.protocol === 'https:') return { ok: true };
  if (url.protocol !== 'http:') return refused('scheme');
  return isLoopbackHost(url.hostname) ? { ok: true } : refused('plain_http_remote');
}

function refused(problem: PlatformAddressProblem): PlatformAddressCheck {
  return { ok: false, problem, messages: REASONS[problem] };
}

/** The refusal as a sentence of its own, for doors that show no field name (a sync run, the doctor). */
export function platformAddressRefusal(address: string, reason: { vi: string; en: string }): { vi: string; en: string } {
  return {
    vi: `Địa chỉ nền tảng ${address} không dùng được: ${reason.vi}`,
    en: `The platform address ${address} cannot be used: ${reason.en}`,
  };
}

/**
 * The rule as a schema field. A refusal is a custom issue whose `params`
 * carry both languages, so every door can say it in the person's language.
 */
export const platformAddressSchema = z.string().superRefine((text, ctx) => {
  const checked = checkPlatformAddress(text);
  if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.messages.en, params: { problem: checked.problem, messages: checked.messages } });
});
