import type { IssuedToken } from '../services/enrollment.js';
import type { SiteView } from '../services/sites.js';
import { CliError } from './context.js';
import { dateTime } from './date-time.js';
import type { Speak } from './language.js';

/**
 * What the operator tells the office's IT with a new enrollment token
 * (`tokens create`): the site it enrolls, when it expires, that it works once,
 * and the exact `edge-agent enroll` line or provisioning file fields to use.
 *
 * `token` null: the explanation goes beside output a script reads (stderr,
 * while stdout carries the token alone), so it names the token without
 * repeating it (stderr may be kept in a log).
 */
export function tokenHandover(
  t: Speak,
  issued: IssuedToken,
  site: Pick<SiteView, 'code' | 'name' | 'requireApproval'>,
  options: { ttl: string; platformUrl: string | undefined; token: string | null },
): string {
  const token = options.token ?? t('<mã đăng ký>', '<token>');
  const address = options.platformUrl ?? t('<địa chỉ nền tảng>', '<platform address>');
  const expires = dateTime(issued.expiresAt);
  const lines = [
    options.token === null
      ? t(
          `Mã đăng ký (in ra ở đầu ra chuẩn) dành cho đơn vị ${site.code} (${site.name}), hết hạn lúc ${expires} (sau ${options.ttl}).`,
          `The token (printed on standard output) enrolls a computer of site ${site.code} (${site.name}); it expires at ${expires} (in ${options.ttl}).`,
        )
      : t(
          `Mã đăng ký trên dành cho đơn vị ${site.code} (${site.name}), hết hạn lúc ${expires} (sau ${options.ttl}).`,
          `The token above enrolls a computer of site ${site.code} (${site.name}); it expires at ${expires} (in ${options.ttl}).`,
        ),
    t(
      'Mã chỉ dùng được một lần, cho một máy, và không hiện lại được: giao cho bộ phận CNTT của đơn vị.',
      'It works once, for one computer, and cannot be shown again: give it to the office\'s IT.',
    ),
    t('Trên máy của đơn vị, gõ:', "On the office's computer, type:"),
    `  edge-agent enroll --token ${token} --site ${site.code} --platform ${address}`,
    t('hoặc, khi cài đặt bằng tệp cấu hình (provisioning.json), điền vào tệp:', 'or, to set it up with a provisioning file (provisioning.json), put in the file:'),
    `  "platformUrl": "${address}", "siteCode": "${site.code}", "token": "${token}"`,
    t('rồi chạy: edge-agent provision <tệp>', 'then run: edge-agent provision <file>'),
  ];
  if (options.platformUrl === undefined) {
    lines.push(
      t(
        `Thay ${address} bằng địa chỉ https:// mà đơn vị dùng để tới nền tảng (tokens create --platform-url URL điền sẵn địa chỉ này).`,
        `Replace ${address} with the https:// address the office reaches the platform at (tokens create --platform-url URL fills it in).`,
      ),
    );
  }
  if (site.requireApproval) {
    lines.push(
      t(
        `Đơn vị ${site.code} cần phê duyệt: sau khi đăng ký, máy chờ cho tới khi chạy national-platform agents approve <mã tác tử> (xem agents list --site ${site.code}).`,
        `Site ${site.code} requires approval: once enrolled, the computer waits for national-platform agents approve <agent id> (see agents list --site ${site.code}).`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `--platform-url`: the address offices use, written into the lines shown; an http(s) URL. */
export function platformUrlOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new CliError({
      vi: `--platform-url ${value} không phải địa chỉ http:// hoặc https://, ví dụ https://ndxp.example.gov.vn`,
      en: `--platform-url ${value} is not an http:// or https:// address, e.g. https://ndxp.example.gov.vn`,
    });
  }
  return value.replace(/\/+$/, '');
}
