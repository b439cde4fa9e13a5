import { readFileSync, statSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Agents } from 'got';
import { HttpsProxyAgent } from 'https-proxy-agent';

/** Where the agent reaches the platform through: the settings, then the environment. */
export interface NetworkSettings {
  /** Proxy URL from the settings (may carry `user:password@`); null = none set. */
  proxy: string | null;
  /** Host names (or `.suffix`, `*`) that bypass the proxy; comma separated, like NO_PROXY. */
  noProxy?: string | null;
  /** Extra CA bundles (PEM file paths) trusted IN ADDITION to Node's default roots. */
  caFiles?: readonly string[];
}

export interface NetworkTransport {
  /** got agents (a proxy agent), or undefined to connect directly. */
  agents: Agents | undefined;
  /** The proxy actually used for `targetUrl` (password removed), or null. */
  proxyShown: string | null;
  /** Node's default roots plus the extra bundles; undefined when no extra bundle is set (Node's defaults apply). */
  certificateAuthority: string[] | undefined;
}

/**
 * A CA file that cannot be read (`code`: the file system's, e.g. ENOENT) or
 * holds no PEM certificate (`code` null: a DER .cer, say), with what local IT
 * does about it in Vietnamese and English.
 */
export class CaFileError extends Error {
  readonly messages: { vi: string; en: string };

  constructor(
    readonly file: string,
    readonly code: string | null,
  ) {
    super(`CA bundle ${file}: ${code ?? 'no PEM certificate found'}`);
    this.name = 'CaFileError';
    this.messages =
      code === null
        ? {
            vi: `Tệp chứng chỉ CA ${file} không chứa chứng chỉ dạng PEM (-----BEGIN CERTIFICATE-----). Tệp .cer hoặc .crt dạng nhị phân (DER) cần chuyển sang PEM, ví dụ: certutil -encode "${file}" ca.pem (Windows) hoặc openssl x509 -inform der -in "${file}" -out ca.pem, rồi dùng tệp ca.pem.`,
            en: `The CA file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----). A binary (DER) .cer or .crt file must be converted to PEM, e.g. certutil -encode "${file}" ca.pem (Windows) or openssl x509 -inform der -in "${file}" -out ca.pem, then use ca.pem.`,
          }
        : code === 'ENOENT'
          ? { vi: `Không thấy tệp chứng chỉ CA ${file}: kiểm tra lại đường dẫn.`, en: `The CA file ${file} is not there: check the path.` }
          : { vi: `Không đọc được tệp chứng chỉ CA ${file} (${code}): kiểm tra quyền đọc tệp.`, en: `Cannot read the CA file ${file} (${code}): check its read permission.` };
  }
}

/**
 * Builds the transport for one platform URL. The settings' proxy wins over
 * HTTPS_PROXY / HTTP_PROXY; NO_PROXY (settings, else environment) bypasses it.
 * Certificates are always verified: extra CAs only ADD trust anchors.
 */
export function networkTransport(targetUrl: string, settings: NetworkSettings, env: NodeJS.ProcessEnv = process.env): NetworkTransport {
  const target = new URL(targetUrl);
  const proxy = settings.proxy || envValue(env, 'HTTPS_PROXY') || (target.protocol === 'http:' ? envValue(env, 'HTTP_PROXY') : undefined) || null;
  const noProxy = settings.noProxy ?? envValue(env, 'NO_PROXY') ?? '';
  const certificateAuthority = extraTrust(settings.caFiles ?? []);
  if (!proxy || bypassesProxy(target.hostname, target.port, noProxy)) return { agents: undefined, proxyShown: null, certificateAuthority };
  const agent = new CheckedProxyAgent(proxy, { keepAlive: false, ...(certificateAuthority ? { ca: certificateAuthority } : {}) });
  return { agents: { https: agent, http: agent }, proxyShown: withoutPassword(proxy), certificateAuthority };
}

/**
 * The proxy answered the CONNECT for the platform with `status` instead of 200
 * (407: it wants a login; 403: it does not let this address through; 502,
 * 503, 504: it cannot reach it). Its `code`, ERR_PROXY_<status>, becomes the
 * request error's (got keeps it), so the failure is the network's, not an
 * answer of the platform (proxyRefusalStatus reads it back).
 */
export class ProxyRefusedError extends Error {
  readonly code: string;

  constructor(readonly status: number) {
    super(`the proxy refused to open a connection to the platform: HTTP ${status}`);
    this.name = 'ProxyRefusedError';
    this.code = `ERR_PROXY_${status}`;
  }
}

/** The HTTP status a proxy refused the CONNECT with, from a transport error code (ProxyRefusedError); null for any other. */
export function proxyRefusalStatus(code: string | undefined): number | null {
  const match = /^ERR_PROXY_(\d{3})$/.exec(code ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * What a proxy's refusal of the CONNECT to `target` (host:port) means and what
 * local IT does about it, as a clause in both languages (lower case, no full
 * stop): a login (407; `withLogin`: the proxy setting has one, which it did not
 * accept), the proxy cannot reach the platform (5xx), or it does not let this
 * address through (403 and any other).
 */
export function proxyRefusalCause(status: number, proxy: string, target: string, withLogin: boolean): { vi: string; en: string } {
  if (status === 407) {
    return {
      vi: `proxy ${proxy} yêu cầu đăng nhập (HTTP 407)${withLogin ? ' và không nhận tên đăng nhập, mật khẩu đã đặt' : ''}: hỏi quản trị mạng của đơn vị tài khoản dùng proxy rồi đặt bằng edge-agent network set --proxy http://tên:mật-khẩu@máy-chủ:cổng`,
      en: `the proxy ${proxy} wants a login (HTTP 407)${withLogin ? ' and does not accept the user name and password set' : ''}: ask the office network admin for a proxy account, then set it with edge-agent network set --proxy http://user:password@host:port`,
    };
  }
  if (status >= 500) {
    return {
      vi: `proxy ${proxy} không tới được ${target} (HTTP ${status}): kiểm tra địa chỉ nền tảng; nếu địa chỉ đúng, nhờ quản trị mạng của đơn vị kiểm tra đường ra ngoài của proxy`,
      en: `the proxy ${proxy} cannot reach ${target} (HTTP ${status}): check the platform address; if it is right, ask the office network admin to check the proxy's own way out`,
    };
  }
  const host = target.replace(/:\d+$/, '');
  return {
    vi: `proxy ${proxy} không cho máy này kết nối tới ${target} (HTTP ${status}): nhờ quản trị mạng của đơn vị cho địa chỉ này đi qua proxy, hoặc cho đi thẳng rồi thêm vào danh sách bỏ qua proxy: edge-agent network set --bypass ${host}`,
    en: `the proxy ${proxy} does not let this computer connect to ${target} (HTTP ${status}): ask the office network admin to let that address through the proxy, or to let it go direct and add it to the bypass list: edge-agent network set --bypass ${host}`,
  };
}

/**
 * https-proxy-agent hands a refused CONNECT's answer (its 407, 403, 502 page)
 * to the request as if the platform had sent it: the agent then said that the
 * national platform refused the request. This one fails the connection with
 * ProxyRefusedError instead.
 */
class CheckedProxyAgent extends HttpsProxyAgent<string> {
  override async connect(...[req, opts]: Parameters<HttpsProxyAgent<string>['connect']>): ReturnType<HttpsProxyAgent<string>['connect']> {
    let refused: number | null = null;
    const onConnect = (connect: { statusCode: number }) => {
      if (connect.statusCode !== 200) refused = connect.statusCode;
    };
    req.once('proxyConnect', onConnect);
    try {
      const socket = await super.connect(req, opts);
      if (refused !== null) {
        socket.destroy();
        throw new ProxyRefusedError(refused);
      }
      return socket;
    } finally {
      req.off('proxyConnect', onConnect);
    }
  }
}

/**
 * Changes whenever a transport built from `settings` would: the proxy, the
 * bypass list, the CA file list, and each CA file's size and time of change
 * (a bundle replaced in place counts too).
 */
export function networkFingerprint(settings: NetworkSettings): string {
  const files = (settings.caFiles ?? []).map((file) => {
    try {
      const info = statSync(file);
      return [file, info.size, info.mtimeMs];
    } catch {
      return [file, null];
    }
  });
  return JSON.stringify([settings.proxy, settings.noProxy ?? null, files]);
}

/** Node's roots plus every certificate in `files`. */
export function extraTrust(files: readonly string[]): string[] | undefined {
  if (files.length === 0) return undefined;
  const extra: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CaFileError(file, (error as NodeJS.ErrnoException).code ?? String(error));
    }
    const certs = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    if (!certs) throw new CaFileError(file, null);
    extra.push(...certs);
  }
  return [...rootCertificates, ...extra];
}

/** NO_PROXY semantics as curl: `*`, exact host, `.suffix` or `suffix` (domain and its subdomains), optional `:port`. */
export function bypassesProxy(hostname: string, port: string, noProxy: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const [name = '', entryPort] = entry.startsWith('[') ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]] : entry.split(':');
    if (entryPort && entryPort !== port) continue;
    const suffix = name.replace(/^\*?\./, '');
    if (host === suffix || host.endsWith(`.${suffix}`)) return true;
  }
  return false;
}

export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return '(invalid proxy URL)';
  }
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] || env[name.toLowerCase()] || undefined;
}
