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
  const agent = new HttpsProxyAgent(proxy, { keepAlive: false, ...(certificateAuthority ? { ca: certificateAuthority } : {}) });
  return { agents: { https: agent, http: agent }, proxyShown: withoutPassword(proxy), certificateAuthority };
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
