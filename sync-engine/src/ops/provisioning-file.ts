import { existsSync } from 'node:fs';
import { z } from 'zod';
import { platformAddressSchema } from '../protocol/platform-address.js';
import { siteCodeSchema } from '../protocol/records.js';
import type { CronSource } from '../schedule/ports.js';
import { closestName } from './closest-name.js';
import { jsonErrorPlace } from './json-error-place.js';

/**
 * The one file local IT hands to `edge-agent provision` (or the installer's
 * /PROVISION=path): installers/provisioning.example.json shows every field.
 */
export interface ProvisioningFile {
  platformUrl: string;
  siteCode: string;
  token: string;
  schedule?: string;
  proxy?: string | null;
  noProxy?: string | null;
  caFiles?: string[];
  language?: 'vi' | 'en';
  adminPort?: number;
  installService?: boolean;
}

export interface FieldProblem {
  path: string;
  messages: { vi: string; en: string };
}

const FIELD_HELP: Record<string, { vi: string; en: string }> = {
  platformUrl: { vi: 'địa chỉ nền tảng phải là URL https://… (http:// chỉ khi nền tảng chạy trên chính máy này)', en: 'the platform address must be an https:// URL (http:// only when the platform runs on this computer)' },
  siteCode: { vi: 'mã đơn vị như đơn vị vận hành cấp (chữ, số, - và _; 1–64 ký tự)', en: 'the site code as the platform operator gave it (letters, digits, - and _; 1–64 characters)' },
  token: { vi: 'mã đăng ký một lần (16–256 ký tự)', en: 'the one-time enrollment token (16–256 characters)' },
  schedule: { vi: 'lịch đồng bộ: năm trường cron, ví dụ */5 * * * *', en: 'sync schedule: five cron fields, e.g. */5 * * * *' },
  proxy: { vi: 'proxy phải là URL http://máy:cổng hoặc null', en: 'the proxy must be an http://host:port URL or null' },
  noProxy: { vi: 'danh sách máy bỏ qua proxy, cách nhau bởi dấu phẩy, hoặc null', en: 'hosts that bypass the proxy, comma separated, or null' },
  caFiles: { vi: 'danh sách đường dẫn tệp PEM có tồn tại', en: 'a list of paths to existing PEM files' },
  language: { vi: 'ngôn ngữ: "vi" hoặc "en"', en: 'language: "vi" or "en"' },
  adminPort: { vi: 'cổng quản trị: số nguyên 1024–65535', en: 'admin port: an integer 1024–65535' },
  installService: { vi: 'true hoặc false', en: 'true or false' },
};

const httpUrl = z.string().url().refine((u) => /^https?:\/\//.test(u));

const schema = z
  .object({
    platformUrl: platformAddressSchema,
    siteCode: siteCodeSchema,
    token: z.string().min(16).max(256),
    schedule: z.string().min(9).max(120).optional(),
    proxy: httpUrl.nullable().optional(),
    noProxy: z.string().max(2000).nullable().optional(),
    caFiles: z.array(z.string().min(1)).optional(),
    language: z.enum(['vi', 'en']).optional(),
    adminPort: z.number().int().min(1024).max(65535).optional(),
    installService: z.boolean().optional(),
  })
  .strict();

/**
 * Validates a provisioning file's text. Every wrong field is named, with what
 * it should be, in Vietnamese and English; unknown fields are named too (a
 * typo such as "siteCodee" must not be silently ignored). A file refused
 * still gives its `language` when that field itself is right, for the
 * refusal to be said in it.
 */
export function parseProvisioningFile(
  text: string,
  cron: CronSource,
  fileExists: (path: string) => boolean = existsSync,
): { ok: true; value: ProvisioningFile } | { ok: false; problems: FieldProblem[]; language?: 'vi' | 'en' } {
  // Windows Notepad may save the file with a UTF-8 byte order mark, which JSON.parse refuses.
  const bare = text.replace(/^\uFEFF/, '');
  const wrong = jsonErrorPlace(bare);
  if (wrong !== null) {
    const { line, column, reason } = wrong;
    return { ok: false, problems: [{ path: '/', messages: { vi: `Tệp không phải JSON hợp lệ: dòng ${line}, cột ${column}: ${reason}`, en: `The file is not valid JSON: line ${line}, column ${column}: ${reason}` } }] };
  }
  const json: unknown = JSON.parse(bare);
  const problems: FieldProblem[] = [];
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // A field typed close to a known one is named as that one ("caFile": did you mean "caFiles"?); the known one is then not also called missing.
    const meant = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      if (issue.code !== 'unrecognized_keys') continue;
      for (const key of issue.keys) {
        const known = closestName(key, Object.keys(schema.shape));
        if (known !== null) meant.set(key, known);
      }
    }
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const known = meant.get(key);
          problems.push({
            path: key,
            messages: known
              ? { vi: `trường "${key}" không được hỗ trợ: có phải "${known}"?`, en: `field "${key}" is not supported: did you mean "${known}"?` }
              : { vi: `trường "${key}" không được hỗ trợ (gõ nhầm?)`, en: `field "${key}" is not supported (a typo?)` },
          });
        }
        continue;
      }
      const field = String(issue.path[0] ?? '/');
      if (problems.some((p) => p.path === field)) continue;
      const ruled = issue.code === 'custom' ? (issue.params as { messages?: { vi: string; en: string } } | undefined)?.messages : undefined;
      const help = ruled ?? FIELD_HELP[field] ?? { vi: issue.message, en: issue.message };
      const missing = issue.code === 'invalid_type' && (json as Record<string, unknown> | null)?.[field] === undefined;
      if (missing && [...meant.values()].includes(field)) continue;
      problems.push({ path: field, messages: missing ? { vi: `thiếu trường "${field}": ${help.vi}`, en: `missing field "${field}": ${help.en}` } : { vi: `trường "${field}" sai: ${help.vi}`, en: `field "${field}" is wrong: ${help.en}` } });
    }
  }
  const raw = (json ?? {}) as Record<string, unknown>;
  if (typeof raw['schedule'] === 'string' && !problems.some((p) => p.path === 'schedule') && cron.problems(raw['schedule']).length > 0) {
    problems.push({ path: 'schedule', messages: { vi: `trường "schedule" sai: ${FIELD_HELP['schedule']!.vi}`, en: `field "schedule" is wrong: ${FIELD_HELP['schedule']!.en}` } });
  }
  if (Array.isArray(raw['caFiles']) && !problems.some((p) => p.path === 'caFiles')) {
    const absent = raw['caFiles'].filter((f) => typeof f === 'string' && !fileExists(f));
    if (absent.length > 0) problems.push({ path: 'caFiles', messages: { vi: `trường "caFiles": không thấy tệp ${absent.join(', ')}`, en: `field "caFiles": file not found: ${absent.join(', ')}` } });
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems, ...(raw['language'] === 'vi' || raw['language'] === 'en' ? { language: raw['language'] } : {}) };
  return { ok: true, value: parsed.data as ProvisioningFile };
}
