import { isPlatformError } from '../services/platform-error.js';
import { RecordRejectedError } from '../services/national-records.js';
import { MissingPlatformStoreError, NewerPlatformStoreError } from '../store/schema-version.js';
import { CliError } from './context.js';
import { dateTime } from './date-time.js';
import type { Lang, Localized } from './language.js';

/**
 * The one sentence an operator sees for a failure, in both languages. The
 * CLI's own refusals carry both; the services' refusals (PlatformError) are
 * English, as the HTTP API answers them to agents: the ones an operator
 * command meets are said in Vietnamese here, from their English words
 * (as the agent CLI does for commander's, usage-errors.ts); any other keeps
 * its English sentence in both languages, with its code.
 */
export function describeFailure(err: unknown): Localized {
  if (err instanceof CliError) return err.messages;
  if (err instanceof MissingPlatformStoreError) {
    return {
      vi:
        `không có cơ sở dữ liệu của nền tảng tại ${err.location}: hãy kiểm tra --db (mặc định là ./national-platform.sqlite trong ` +
        'thư mục hiện tại); chỉ "sites add" hoặc "seed --demo" mới tạo cơ sở dữ liệu mới',
      en: err.message,
    };
  }
  if (err instanceof NewerPlatformStoreError) {
    return {
      vi:
        `cơ sở dữ liệu của nền tảng này đã được một bản dựng mới hơn của nền tảng quốc gia nâng cấp (những thay đổi bản dựng này không biết: ` +
        `${err.unknownMigrations.join(', ')}); không có gì bị thay đổi: hãy chạy bản dựng mới hơn, hoặc khôi phục một bản sao lưu do bản dựng này tạo`,
      en: err.message,
    };
  }
  if (err instanceof RecordRejectedError) return { vi: `bản ghi bị từ chối: ${recordErrorsVi(err)}`, en: `the record was refused: ${err.message}` };
  if (isPlatformError(err)) {
    const said = err.code === 'validation_failed' && err.extra.details ? { vi: detailsVi(err.extra.details), en: err.message } : messageSaid(err.message);
    const en = `${said.en} (${err.code})`;
    return { vi: said.vi === null ? en : `${said.vi} (${err.code})`, en };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/ECONNREFUSED|connect/i.test(message)) return { vi: `không kết nối được cơ sở dữ liệu: ${message}`, en: `cannot reach the database: ${message}` };
  return { vi: message, en: message };
}

/**
 * A refused record's reasons in Vietnamese: each error's own Vietnamese text
 * (the shared validation's and the platform's rejections carry both, as the
 * agent shows them), after its field's path, as the agent CLI prints them;
 * one without (none known) keeps its English.
 */
function recordErrorsVi(err: RecordRejectedError): string {
  const which = err.index !== undefined ? `bản ghi thứ ${err.index + 1}: ` : '';
  return which + err.errors.map((e) => `${e.path || '(bản ghi)'}: ${(e.messages?.vi ?? `${e.code}: ${e.message}`).replace(/\.$/, '')}`).join('; ');
}

/** describeFailure in one language. */
export function failureText(err: unknown, lang: Lang): string {
  return describeFailure(err)[lang];
}

/**
 * The services' refusals an operator command meets (sites.ts, agents.ts,
 * enrollment.ts, national-records.ts, tombstone-purge.ts), by their English
 * words: the Vietnamese, or both texts when the English is said again (an
 * instant in it written dd/mm/yyyy HH:mm, as the rest of the text output).
 */
const MESSAGES: Array<[RegExp, (m: RegExpExecArray) => string | Localized]> = [
  [/^no site with code (.+)$/s, (m) => `không có đơn vị nào mã ${m[1]}`],
  [/^site (.+) already exists$/s, (m) => `đơn vị ${m[1]} đã có`],
  [/^no agent with id (.+)$/s, (m) => `không có tác tử nào mã ${m[1]}`],
  [/^a revoked agent cannot be approved: enroll it again$/, () => 'không thể duyệt một tác tử đã bị thu hồi quyền: hãy đăng ký lại máy đó'],
  [/^no enrollment token has id (.+) \(tokens list shows the ids\)$/s, (m) => `không có mã đăng ký nào có mã ${m[1]} (tokens list cho xem các mã)`],
  [/^more than one token has id (.+): give the token itself$/s, (m) => `có nhiều hơn một mã đăng ký có mã ${m[1]}: hãy đưa chính mã đăng ký`],
  [
    /^token (\S+) was already used on (\S+) by agent (\S+): revoke that agent instead \(agents revoke (\S+)\)$/,
    (m) => ({
      vi: `mã đăng ký ${m[1]} đã được dùng lúc ${dateTime(m[2] ?? '')} bởi tác tử ${m[3]}: hãy thu hồi tác tử đó (agents revoke ${m[4]})`,
      en: `token ${m[1]} was already used on ${dateTime(m[2] ?? '')} by agent ${m[3]}: revoke that agent instead (agents revoke ${m[4]})`,
    }),
  ],
  [/^token (\S+) was used meanwhile: revoke its agent instead$/, (m) => `mã đăng ký ${m[1]} vừa được dùng: hãy thu hồi tác tử của nó`],
  [/^the token lifetime must be a positive number of seconds$/, () => 'thời hạn của mã đăng ký phải là một số giây dương'],
  [/^the token lifetime can be at most (\S+) days$/, (m) => `thời hạn của mã đăng ký nhiều nhất là ${m[1]} ngày`],
  [/^access must be read or read-write$/, () => 'quyền phải là read hoặc read-write'],
  [/^no record (\S+) in (\S+)$/, (m) => `không có bản ghi ${m[1]} trong ${m[2]}`],
  [/^no dataset is called (.+)$/s, (m) => `không có bộ dữ liệu nào tên ${m[1]}`],
  [/^record id must be a lower-case UUID: (.+)$/s, (m) => `mã bản ghi phải là một UUID viết thường: ${m[1]}`],
  [/^record data must be a JSON object$/, () => 'dữ liệu bản ghi phải là một đối tượng JSON'],
  [/^record (\S+) is at rev (\S+), not (\S+)$/, (m) => `bản ghi ${m[1]} đang ở rev ${m[2]}, không phải ${m[3]}`],
  [/^the retention must be a number of seconds >= 0$/, () => 'thời hạn lưu phải là một số giây >= 0'],
];

/** A service's refusal in both languages (MESSAGES); one not known there has no Vietnamese (null) and keeps its English. */
function messageSaid(message: string): { vi: string | null; en: string } {
  for (const [pattern, say] of MESSAGES) {
    const m = pattern.exec(message);
    if (!m) continue;
    const said = say(m);
    return typeof said === 'string' ? { vi: said, en: message } : said;
  }
  return { vi: null, en: message };
}

/**
 * A site refused (sites.ts): a province or commune not in force (unitErrors,
 * by their English words), or the shape of its code, name, province or
 * communes (zod's, by the field's path); a detail not known here keeps the
 * English of all.
 */
function detailsVi(details: { path: string; code: string; message: string }[]): string | null {
  const said = details.map((d) => {
    if (!UNIT_CODES.has(d.code)) return shapeVi(d.path);
    const province = /^provinceCode (\S+) is not in the list of provinces in force$/.exec(d.message);
    if (province) return `mã tỉnh ${province[1]} không có trong danh sách tỉnh, thành phố đang có hiệu lực`;
    const unknown = /^communeCodes: (\S+) is not in the list of communes in force$/.exec(d.message);
    if (unknown) return `communeCodes: ${unknown[1]} không có trong danh sách xã, phường đang có hiệu lực`;
    const other = /^communeCodes: (\S+) belongs to province (\S+), not (\S+)$/.exec(d.message);
    if (other) return `communeCodes: ${other[1]} thuộc tỉnh ${other[2]}, không phải ${other[3]}`;
    return null;
  });
  return said.every((s) => s !== null) ? said.join('; ') : null;
}

/** The codes of sites.ts unitErrors; any other detail is zod's, about a field's shape. */
const UNIT_CODES = new Set(['unknown_province', 'unknown_commune', 'commune_not_in_province']);

/** What a site's field must look like (sites.ts newSiteSchema and scopeSchema, protocol/records.ts), by the field's path. */
function shapeVi(path: string): string | null {
  if (path === '/code') return '/code: mã đơn vị chỉ gồm chữ cái, chữ số, - và _, bắt đầu bằng chữ cái hoặc chữ số (1–64 ký tự)';
  if (path === '/name') return '/name: tên đơn vị phải có từ 1 đến 200 ký tự';
  if (path === '/provinceCode') return '/provinceCode: mã tỉnh phải gồm đúng 2 chữ số';
  const commune = /^\/communeCodes\/(\d+)$/.exec(path);
  if (commune) return `${path}: mã xã thứ ${Number(commune[1]) + 1} trong --communes phải gồm đúng 5 chữ số`;
  if (path === '/communeCodes') return '/communeCodes: nhiều nhất 2000 mã xã';
  return null;
}
