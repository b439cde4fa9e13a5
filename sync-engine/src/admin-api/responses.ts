import type { ServerResponse } from 'node:http';
import { inputShapeErrors, type ApiError } from '../api/index.js';

/**
 * What every answer of the admin API carries. The CSP is the renderer's own
 * (renderer/index.html and the Electron shell send the same string): the web
 * console runs under exactly the rules it runs under in the window.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

export type HttpRefusal = { status: number; error: ApiError; headers?: Record<string, string> };

/** Refusals as ApiResult-shaped JSON, so a client parses every answer the same way. */
export const refusals = {
  hostNotLocal: (): HttpRefusal => ({
    status: 421,
    error: {
      code: 'unauthorized',
      messages: {
        vi: 'Tên máy chủ trong yêu cầu không phải địa chỉ cục bộ của tác tử.',
        en: "The request's Host is not the agent's local address.",
      },
    },
  }),
  foreignOrigin: (): HttpRefusal => ({
    status: 403,
    error: {
      code: 'unauthorized',
      messages: { vi: 'Yêu cầu đến từ một trang web khác bị từ chối.', en: 'Requests from another web site are refused.' },
    },
  }),
  badToken: (): HttpRefusal => ({
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="edge-agent"' },
    error: {
      code: 'unauthorized',
      messages: {
        vi: 'Thiếu hoặc sai mã truy cập bảng điều khiển của tác tử.',
        en: "The agent console's access token is missing or wrong.",
      },
    },
  }),
  unknownCommand: (name: string): HttpRefusal => ({
    status: 404,
    error: { code: 'not_found', messages: { vi: `Không có lệnh "${name}".`, en: `There is no command "${name}".` } },
  }),
  notFound: (): HttpRefusal => ({
    status: 404,
    error: { code: 'not_found', messages: { vi: 'Không tìm thấy địa chỉ này.', en: 'Nothing is found at this address.' } },
  }),
  consoleNotBuilt: (): HttpRefusal => ({
    status: 404,
    error: {
      code: 'not_found',
      messages: {
        vi: 'Bảng điều khiển web chưa được dựng (renderer/dist).',
        en: 'The web console has not been built (renderer/dist).',
      },
    },
  }),
  methodNotAllowed: (allow: string): HttpRefusal => ({
    status: 405,
    headers: { allow },
    error: {
      code: 'invalid_input',
      messages: { vi: `Phương thức không được hỗ trợ; dùng ${allow}.`, en: `Method not supported; use ${allow}.` },
    },
  }),
  bodyTooLarge: (limit: number): HttpRefusal => ({
    status: 413,
    headers: { connection: 'close' },
    error: {
      code: 'invalid_input',
      messages: {
        vi: `Dữ liệu gửi lên vượt quá ${limit / (1024 * 1024)} MB.`,
        en: `The request body is larger than ${limit / (1024 * 1024)} MB.`,
      },
    },
  }),
  notJson: (): HttpRefusal => ({
    status: 415,
    error: {
      code: 'invalid_input',
      messages: { vi: 'Nội dung yêu cầu phải là application/json.', en: 'The request body must be application/json.' },
    },
  }),
  badJson: (): HttpRefusal => ({
    status: 400,
    error: {
      code: 'invalid_input',
      messages: { vi: 'Nội dung yêu cầu không phải JSON hợp lệ.', en: 'The request body is not valid JSON.' },
    },
  }),
  jsonTooDeep: (limit: number): HttpRefusal => ({ status: 400, error: inputShapeErrors.tooDeep(limit) }),
  protoKey: (): HttpRefusal => ({ status: 400, error: inputShapeErrors.protoKey() }),
  badChallenge: (): HttpRefusal => ({
    status: 400,
    error: {
      code: 'invalid_input',
      messages: {
        vi: 'Mã thử thách gửi tới dịch vụ nền không hợp lệ.',
        en: 'The challenge sent to the background service is malformed.',
      },
    },
  }),
  badPath: (): HttpRefusal => ({
    status: 403,
    error: { code: 'unauthorized', messages: { vi: 'Đường dẫn không hợp lệ.', en: 'The path is not allowed.' } },
  }),
  internal: (): HttpRefusal => ({
    status: 500,
    error: {
      code: 'internal',
      messages: {
        vi: 'Tác tử gặp lỗi nội bộ khi xử lý yêu cầu.',
        en: 'The agent hit an internal error while handling the request.',
      },
    },
  }),
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendRefusal(res: ServerResponse, refusal: HttpRefusal): void {
  sendJson(res, refusal.status, { ok: false, error: refusal.error }, refusal.headers);
}
