import { GotPlatformClient } from '../adapters/platform-client-got.js';
import { systemNetworkProbe, type NetworkProbe } from '../adapters/network-probe.js';
import { CaFileError, networkTransport, proxyRefusalCause, proxyRefusalStatus, type NetworkSettings } from '../adapters/network-transport.js';
import { checkPlatformAddress, platformAddressRefusal } from '../protocol/platform-address.js';
import { formatDuration } from '../domain/health-reasons.js';
import { PlatformError } from '../sync/platform-error.js';
import type { KeyStore, PlatformClient } from '../sync/ports.js';
import type { AgentSnapshot } from './agent-snapshot.js';

export type CheckId = 'database' | 'settings' | 'dns' | 'tcp' | 'tls' | 'health' | 'clock' | 'credentials';
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

/** One step of the diagnosis; a failure says, in one sentence per language, the likely cause and the fix. */
export interface DoctorCheck {
  id: CheckId;
  status: CheckStatus;
  detail?: Record<string, unknown>;
  messages: { vi: string; en: string };
}

export interface DoctorReport {
  ok: boolean;
  platformUrl: string | null;
  checks: DoctorCheck[];
}

export interface DoctorInput {
  platformUrl: string | null;
  agentId: string | null;
  keyStore: KeyStore;
  network: NetworkSettings;
  probe: NetworkProbe;
  now: () => number;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Tests may replace the HTTP client; by default GotPlatformClient with the same network settings. */
  clientFactory?: (baseUrl: string, agentId: string, transport: ReturnType<typeof networkTransport>) => PlatformClient;
}

/** The doctor over a data folder's saved settings and identity: `edge-agent doctor` and every diagnostics bundle. */
export function doctorForSnapshot(
  snapshot: AgentSnapshot,
  deps: { keyStore: KeyStore; now: () => number; env?: NodeJS.ProcessEnv; timeoutMs?: number; probe?: NetworkProbe },
): Promise<DoctorReport> {
  return runDoctor({
    platformUrl: snapshot.settings.platformUrl,
    agentId: snapshot.identity?.agentId ?? null,
    keyStore: deps.keyStore,
    network: { proxy: snapshot.settings.proxy, noProxy: snapshot.operations.noProxy, caFiles: snapshot.operations.caFiles },
    probe: deps.probe ?? systemNetworkProbe,
    now: deps.now,
    ...(deps.env ? { env: deps.env } : {}),
    ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
  });
}

/** The platform refuses signatures older or newer than this (SYNC-PROTOCOL.md). */
const SKEW_FAIL_MS = 300_000;
const SKEW_WARN_MS = 60_000;
const CERT_WARN_DAYS = 14;

const m = (vi: string, en: string) => ({ vi, en });

/**
 * `edge-agent doctor`: DNS, TCP, TLS, platform health, clock skew and
 * credentials, in that order; a step that cannot run because an earlier one
 * failed is `skipped`. Never throws.
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck) => (checks.push(check), check.status !== 'fail');
  const skipRest = (ids: CheckId[]) => ids.forEach((id) => checks.push({ id, status: 'skipped', messages: m('Bỏ qua vì bước trước lỗi.', 'Skipped because an earlier step failed.') }));
  const timeoutMs = input.timeoutMs ?? 5000;

  if (!input.platformUrl) {
    add({ id: 'settings', status: 'fail', messages: m('Chưa đặt địa chỉ nền tảng: chạy edge-agent init hoặc edge-agent provision.', 'The platform address is not set: run edge-agent init or edge-agent provision.') });
    skipRest(['dns', 'tcp', 'tls', 'health', 'clock', 'credentials']);
    return finish(input.platformUrl, checks);
  }
  const address = checkPlatformAddress(input.platformUrl);
  if (!address.ok) {
    add({ id: 'settings', status: 'fail', detail: { problem: address.problem }, messages: platformAddressRefusal(input.platformUrl, address.messages) });
    skipRest(['dns', 'tcp', 'tls', 'health', 'clock', 'credentials']);
    return finish(input.platformUrl, checks);
  }
  let transport: ReturnType<typeof networkTransport>;
  try {
    transport = networkTransport(input.platformUrl, input.network, input.env);
  } catch (error) {
    const messages = error instanceof CaFileError ? error.messages : m(`Không đọc được tệp chứng chỉ CA: ${String((error as Error).message)}.`, `Cannot read a CA file: ${String((error as Error).message)}.`);
    // code ca_file: a setting to correct, as a sync stopped by the same file says it (and both exit 1).
    add({ id: 'settings', status: 'fail', detail: { code: 'ca_file', error: String((error as Error).message) }, messages });
    skipRest(['dns', 'tcp', 'tls', 'health', 'clock', 'credentials']);
    return finish(input.platformUrl, checks);
  }
  add({ id: 'settings', status: 'ok', detail: { proxy: transport.proxyShown, extraCaFiles: input.network.caFiles?.length ?? 0 }, messages: m('Cấu hình đọc được.', 'Settings are readable.') });

  const target = new URL(input.platformUrl);
  const via = transport.proxyShown ? new URL(transport.proxyShown) : target;
  const host = via.hostname.replace(/^\[|\]$/g, '');
  const port = Number(via.port || (via.protocol === 'https:' ? 443 : 80));
  const what = transport.proxyShown ? m('máy chủ proxy', 'the proxy') : m('nền tảng', 'the platform');
  // Where the proxy came from, for the fix: the settings (network set) or the environment (HTTPS_PROXY, HTTP_PROXY).
  const proxySource: ProxySource = input.network.proxy ? 'settings' : 'environment';

  const dns = await input.probe.resolve(host);
  if (!add(dns.ok
    ? { id: 'dns', status: 'ok', detail: { host, addresses: dns.addresses }, messages: m(`Tên ${host} phân giải được.`, `${host} resolves.`) }
    : { id: 'dns', status: 'fail', detail: { host, code: dns.code }, messages: transport.proxyShown ? proxyNameFailure(host, dns.code, proxySource) : m(`Không phân giải được tên ${host} (${dns.code}): kiểm tra chính tả địa chỉ và máy chủ DNS của mạng đơn vị.`, `${host} does not resolve (${dns.code}): check the address's spelling and the office network's DNS server.`) })) {
    skipRest(['tcp', 'tls', 'health', 'clock', 'credentials']);
    return finish(input.platformUrl, checks);
  }

  const tcp = await input.probe.connect(host, port, timeoutMs);
  if (!add(tcp.ok
    ? { id: 'tcp', status: 'ok', detail: { host, port }, messages: m(`Kết nối được tới ${what.vi} (${host}:${port}).`, `${capital(what.en)} accepts connections (${host}:${port}).`) }
    : { id: 'tcp', status: 'fail', detail: { host, port, code: tcp.code }, messages: transport.proxyShown ? proxyConnectFailure(tcp.code, host, port, proxySource) : tcpFailure(tcp.code, host, port, what) })) {
    skipRest(['tls', 'health', 'clock', 'credentials']);
    return finish(input.platformUrl, checks);
  }

  if (target.protocol === 'https:' && !transport.proxyShown) {
    const tls = await input.probe.handshake(host, port, transport.certificateAuthority, timeoutMs);
    const detail = { subject: tls.subject, issuer: tls.issuer, validTo: tls.validTo, chainLength: tls.chainLength, code: tls.code };
    if (!tls.ok) {
      add({ id: 'tls', status: 'fail', detail, messages: PLAIN_HTTP_ANSWER.test(tls.code ?? '') ? plainHttpPort(host, port) : tlsFailure(tls.code ?? 'ERR_TLS', host) });
      skipRest(['health', 'clock', 'credentials']);
      return finish(input.platformUrl, checks);
    }
    const daysLeft = tls.validTo ? (Date.parse(tls.validTo) - input.now()) / 86_400_000 : Infinity;
    add(daysLeft < CERT_WARN_DAYS
      ? { id: 'tls', status: 'warn', detail, messages: m(`Chứng chỉ của nền tảng hết hạn sau ${Math.floor(daysLeft)} ngày: báo đơn vị vận hành nền tảng gia hạn.`, `The platform's certificate expires in ${Math.floor(daysLeft)} days: ask the platform operator to renew it.`) }
      : { id: 'tls', status: 'ok', detail, messages: m('Chứng chỉ TLS hợp lệ, tin cậy và đúng tên máy chủ.', 'The TLS certificate is valid, trusted and matches the host name.') });
  } else {
    add({ id: 'tls', status: 'skipped', messages: transport.proxyShown ? m('Qua proxy: TLS được kiểm tra trong bước kiểm tra sức khỏe nền tảng.', 'Through a proxy: TLS is checked by the platform health step.') : m('Địa chỉ dùng http, không có TLS.', 'The address uses http: no TLS.') });
  }

  const client = (input.clientFactory ?? defaultClient(input))(input.platformUrl, input.agentId ?? '', transport);
  let skewMs: number;
  try {
    const probe = await client.health();
    skewMs = probe.skewMs;
    add({ id: 'health', status: probe.body.status === 'ok' ? 'ok' : 'warn', detail: { status: probe.body.status, latencyMs: probe.latencyMs }, messages: probe.body.status === 'ok' ? m('Nền tảng đang hoạt động.', 'The platform is up.') : m(`Nền tảng báo trạng thái ${probe.body.status}: đợi rồi thử lại, hoặc hỏi đơn vị vận hành.`, `The platform reports ${probe.body.status}: wait and retry, or ask its operator.`) });
  } catch (error) {
    add({ id: 'health', status: 'fail', detail: errorDetail(error), messages: await healthFailure(error, input, target, transport, timeoutMs) });
    skipRest(['clock', 'credentials']);
    return finish(input.platformUrl, checks);
  }

  const skewS = Math.round(skewMs / 1000);
  const abs = Math.abs(skewMs);
  const dir = skewMs > 0 ? m('chạy chậm', 'behind') : m('chạy nhanh', 'ahead of');
  const off = formatDuration(skewMs);
  add(abs > SKEW_FAIL_MS
    ? { id: 'clock', status: 'fail', detail: { skewSeconds: skewS }, messages: m(`Đồng hồ máy này ${dir.vi} ${off.vi} so với nền tảng nên chữ ký bị từ chối: bật đồng bộ giờ tự động (NTP; Linux: sudo timedatectl set-ntp true) và kiểm tra múi giờ.`, `This computer's clock is ${off.en} ${dir.en} the platform's, so signatures are refused: turn on automatic time sync (NTP; Linux: sudo timedatectl set-ntp true) and check the time zone.`) }
    : abs > SKEW_WARN_MS
      ? { id: 'clock', status: 'warn', detail: { skewSeconds: skewS }, messages: m(`Đồng hồ lệch ${off.vi}: nên bật đồng bộ giờ tự động (NTP).`, `The clock is off by ${off.en}: turn on automatic time sync (NTP).`) }
      : { id: 'clock', status: 'ok', detail: { skewSeconds: skewS }, messages: m('Đồng hồ khớp với nền tảng.', 'The clock agrees with the platform.') });

  if (!input.agentId) {
    add({ id: 'credentials', status: 'fail', messages: m('Máy này chưa đăng ký với nền tảng: chạy edge-agent enroll --token <mã>.', 'This computer is not enrolled: run edge-agent enroll --token <token>.') });
    return finish(input.platformUrl, checks);
  }
  try {
    const catalog = await client.catalog();
    add({ id: 'credentials', status: 'ok', detail: { datasets: catalog.datasets.length }, messages: m('Nền tảng chấp nhận chữ ký của máy này.', 'The platform accepts this computer\'s signature.') });
  } catch (error) {
    add({ id: 'credentials', status: 'fail', detail: errorDetail(error), messages: (transport.proxyShown ? proxyRefused(error, transport.proxyShown, target) : null) ?? platformFailure(error) });
  }
  return finish(input.platformUrl, checks);
}

function finish(platformUrl: string | null, checks: DoctorCheck[]): DoctorReport {
  return { ok: checks.every((c) => c.status !== 'fail'), platformUrl, checks };
}

function defaultClient(input: DoctorInput) {
  return (baseUrl: string, agentId: string, transport: ReturnType<typeof networkTransport>): PlatformClient =>
    new GotPlatformClient({ baseUrl, agentId, keyStore: input.keyStore, now: input.now, timeoutMs: input.timeoutMs ?? 5000, healthTimeoutMs: input.timeoutMs ?? 5000, agents: transport.agents, ...(transport.certificateAuthority ? { certificateAuthority: transport.certificateAuthority } : {}) });
}

type ProxySource = 'settings' | 'environment';

/** The fix of a proxy that is wrong: where it was set, and the command that changes it. */
function proxyFix(source: ProxySource) {
  return source === 'settings'
    ? m('kiểm tra địa chỉ proxy với quản trị mạng của đơn vị (edge-agent network show) rồi sửa bằng edge-agent network set --proxy http://máy-chủ:cổng (hoặc --proxy "" nếu mạng không dùng proxy)', "check the proxy's address with the office network admin (edge-agent network show), then correct it with edge-agent network set --proxy http://host:port (or --proxy \"\" when the network uses none)")
    : m('proxy này lấy từ biến môi trường HTTPS_PROXY/HTTP_PROXY: sửa biến đó, hoặc đặt proxy đúng bằng edge-agent network set --proxy http://máy-chủ:cổng', 'this proxy comes from the HTTPS_PROXY/HTTP_PROXY environment variable: correct it, or set the right proxy with edge-agent network set --proxy http://host:port');
}

function proxyNameFailure(host: string, code: string, source: ProxySource) {
  const fix = proxyFix(source);
  return m(`Không phân giải được tên máy chủ proxy ${host} (${code}): ${fix.vi}.`, `The proxy's host name ${host} does not resolve (${code}): ${fix.en}.`);
}

function proxyConnectFailure(code: string, host: string, port: number, source: ProxySource) {
  const fix = proxyFix(source);
  const why =
    code === 'ECONNREFUSED'
      ? m(`Máy chủ proxy ${host}:${port} từ chối kết nối (proxy đang dừng hoặc sai cổng)`, `The proxy ${host}:${port} refuses connections (it is down, or the port is wrong)`)
      : m(`Không kết nối được tới máy chủ proxy ${host}:${port} (${code})`, `Cannot connect to the proxy ${host}:${port} (${code})`);
  return m(`${why.vi}: ${fix.vi}.`, `${why.en}: ${fix.en}.`);
}

/** A TLS client hello answered in plain HTTP: OpenSSL's "wrong version number" (EPROTO through got). */
const PLAIN_HTTP_ANSWER = /WRONG_VERSION_NUMBER|^EPROTO$/;

function plainHttpPort(host: string, port: number) {
  return m(
    `Máy chủ ở ${host}:${port} trả lời bằng HTTP thường, không phải HTTPS: địa chỉ nền tảng bắt đầu bằng https:// nhưng cổng ${port} không phải cổng HTTPS của nền tảng. Hỏi đơn vị vận hành địa chỉ đúng (https:// không ghi cổng là cổng 443) rồi sửa bằng edge-agent init --platform <địa chỉ> --site <mã đơn vị>.`,
    `The server at ${host}:${port} answers in plain HTTP, not HTTPS: the platform address starts with https:// but port ${port} is not the platform's HTTPS port. Ask the operator for the right address (https:// without a port is port 443), then correct it with edge-agent init --platform <url> --site <code>.`,
  );
}

/**
 * Why the platform's health did not answer, with what the first steps could
 * not see: an http:// address whose port speaks TLS (the address wants
 * https://), a path in the address the platform does not serve, and, without a
 * proxy, no word of one.
 */
async function healthFailure(error: unknown, input: DoctorInput, target: URL, transport: ReturnType<typeof networkTransport>, timeoutMs: number) {
  if (!(error instanceof PlatformError)) return platformFailure(error);
  if (transport.proxyShown) return proxyRefused(error, transport.proxyShown, target) ?? platformFailure(error);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  if (error.kind === 'network' && target.protocol === 'http:') {
    // The request got no HTTP answer: a server that speaks TLS on that port closes it. Its handshake says so.
    const tls = await input.probe.handshake(host, port, transport.certificateAuthority, timeoutMs);
    if (tls.ok || tls.subject !== undefined) {
      return m(
        `Cổng ${port} của ${host} dùng HTTPS (TLS), nhưng địa chỉ nền tảng bắt đầu bằng http://: sửa thành https://${target.host}${target.pathname === '/' ? '' : target.pathname} bằng edge-agent init --platform <địa chỉ> --site <mã đơn vị>.`,
        `Port ${port} of ${host} speaks HTTPS (TLS), but the platform address starts with http://: change it to https://${target.host}${target.pathname === '/' ? '' : target.pathname} with edge-agent init --platform <url> --site <code>.`,
      );
    }
  }
  if (error.kind === 'network' || error.kind === 'timeout') {
    const cause = error.causeCode ?? error.message;
    return m(
      `Không nhận được trả lời từ ${target.host} (${cause}), dù kết nối được: kiểm tra địa chỉ nền tảng (http:// hay https://, cổng) và tường lửa; nếu mạng của đơn vị bắt buộc dùng proxy, đặt bằng edge-agent network set --proxy http://máy-chủ:cổng.`,
      `No answer from ${target.host} (${cause}), though it accepts connections: check the platform address (http:// or https://, the port) and the firewall; if the office network requires a proxy, set it with edge-agent network set --proxy http://host:port.`,
    );
  }
  const path = target.pathname.replace(/\/+$/, '');
  if (error.status === 404 && path !== '') {
    return m(
      `Máy chủ ${target.host} không có nền tảng ở đường dẫn ${path} của địa chỉ (HTTP 404): địa chỉ nền tảng thường chỉ gồm https://tên-máy-chủ[:cổng], không có đường dẫn; bỏ "${path}" (edge-agent init --platform ${target.protocol}//${target.host} --site <mã đơn vị>), trừ khi đơn vị vận hành cho một đường dẫn khác.`,
      `${target.host} serves no platform under the address's path ${path} (HTTP 404): a platform address is normally just https://host[:port], with no path; remove "${path}" (edge-agent init --platform ${target.protocol}//${target.host} --site <code>) unless the operator gave another path.`,
    );
  }
  return platformFailure(error);
}

/** The proxy refused the CONNECT to the platform (its 407, 403, 502…): what that means, null for any other failure. */
function proxyRefused(error: unknown, proxy: string, target: URL) {
  const status = error instanceof PlatformError ? proxyRefusalStatus(error.causeCode) : null;
  if (status === null) return null;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const cause = proxyRefusalCause(status, proxy, `${target.hostname}:${port}`, proxy.includes('@'));
  return m(`${capital(cause.vi)}.`, `${capital(cause.en)}.`);
}

function tcpFailure(code: string, host: string, port: number, what: { vi: string; en: string }) {
  if (code === 'ECONNREFUSED') return m(`${capital(what.vi)} từ chối kết nối tới ${host}:${port}: dịch vụ đang dừng hoặc sai cổng; kiểm tra địa chỉ, hoặc hỏi đơn vị vận hành.`, `${capital(what.en)} refuses connections on ${host}:${port}: the service is down or the port is wrong; check the address or ask its operator.`);
  if (code === 'ETIMEDOUT') return m(`Không có phản hồi từ ${host}:${port}: tường lửa hoặc mạng chặn; mở cổng ${port} ra ngoài hoặc đặt proxy trong cấu hình.`, `No answer from ${host}:${port}: a firewall or the network blocks it; open outbound port ${port} or set the proxy in the settings.`);
  return m(`Không kết nối được tới ${host}:${port} (${code}): kiểm tra cáp mạng, Wi-Fi và tường lửa.`, `Cannot connect to ${host}:${port} (${code}): check the network cable, Wi-Fi and firewall.`);
}

function tlsFailure(code: string, host: string) {
  // Through a proxy the health step knows no host name to say: the platform's.
  const of = host ? m(`của ${host}`, `${host}'s`) : m('của nền tảng', "The platform's");
  const name = host ? m(host, host) : m('nền tảng', 'the platform');
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF/.test(code)) return m(`Chứng chỉ ${of.vi} do một CA không được tin cậy cấp (${code}): xin tệp chứng chỉ (PEM) của CA nội bộ từ đơn vị vận hành hoặc quản trị mạng, rồi thêm bằng edge-agent network set --ca-file <tệp.pem> (trong tệp cấu hình cài đặt: trường caFiles).`, `${of.en} certificate is issued by an untrusted CA (${code}): get the internal CA's certificate (PEM file) from the operator or the network admin, then add it with edge-agent network set --ca-file <file.pem> (in a provisioning file: caFiles).`);
  if (code === 'CERT_HAS_EXPIRED') return m(`Chứng chỉ ${of.vi} đã hết hạn: báo đơn vị vận hành nền tảng gia hạn (và kiểm tra ngày giờ máy này).`, `${of.en} certificate has expired: ask the platform operator to renew it (and check this computer's date).`);
  if (code === 'CERT_NOT_YET_VALID') return m(`Chứng chỉ ${of.vi} chưa có hiệu lực: ngày giờ máy này có thể sai; bật đồng bộ giờ (NTP).`, `${of.en} certificate is not valid yet: this computer's date is probably wrong; turn on time sync (NTP).`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return m(`Chứng chỉ không mang tên ${name.vi}: kiểm tra địa chỉ nền tảng (đúng tên máy chủ như trên chứng chỉ).`, `The certificate does not name ${name.en}: check the platform address (the host name must match the certificate).`);
  return m(`Bắt tay TLS với ${name.vi} thất bại (${code}): có thể thiết bị kiểm tra TLS của mạng chen giữa; thêm CA của thiết bị đó vào caFiles.`, `The TLS handshake with ${name.en} failed (${code}): a TLS-inspecting device may sit in between; add its CA to caFiles.`);
}

function platformFailure(error: unknown) {
  if (!(error instanceof PlatformError)) return m(`Lỗi không mong đợi: ${String(error)}.`, `Unexpected error: ${String(error)}.`);
  switch (error.code ?? error.kind) {
    case 'clock_skew': return m('Nền tảng từ chối vì đồng hồ máy này sai: bật đồng bộ giờ tự động (NTP).', 'The platform refuses the signature because this clock is wrong: turn on automatic time sync (NTP).');
    case 'agent_revoked': return m('Nền tảng đã thu hồi máy này: xin mã đăng ký mới và chạy lại edge-agent enroll.', 'The platform revoked this computer: ask for a new token and run edge-agent enroll again.');
    case 'agent_pending': return m('Máy này đang chờ phê duyệt: nhờ đơn vị vận hành nền tảng duyệt.', 'This computer awaits approval: ask the platform operator to approve it.');
    case 'unknown_agent': case 'bad_signature': return m('Nền tảng không nhận ra khóa của máy này (khóa mất hoặc đã khôi phục sai): đăng ký lại bằng mã mới.', 'The platform does not recognise this computer\'s key (lost or wrongly restored): enroll again with a new token.');
    case 'maintenance': return m('Nền tảng đang bảo trì: đợi rồi thử lại sau.', 'The platform is under maintenance: wait and retry later.');
    case 'tls': return tlsFailure(error.causeCode ?? 'ERR_TLS', '');
    case 'timeout': return m('Nền tảng không trả lời kịp: mạng chậm hoặc proxy chặn; kiểm tra proxy và thử lại.', 'The platform did not answer in time: a slow network or a blocking proxy; check the proxy and retry.');
    case 'network': return m(`Không tới được nền tảng (${error.causeCode ?? error.message}): kiểm tra proxy, tên đăng nhập/mật khẩu proxy và tường lửa.`, `Cannot reach the platform (${error.causeCode ?? error.message}): check the proxy, its user name/password and the firewall.`);
    default:
      if (error.status === 407) return m('Proxy yêu cầu đăng nhập: đặt http://tên:mật-khẩu@proxy:cổng trong cấu hình proxy.', 'The proxy wants a login: set http://user:password@proxy:port as the proxy.');
      if ((error.kind === 'http' && error.code === undefined) || error.kind === 'malformed') {
        const answer = error.status ? ` (HTTP ${error.status})` : '';
        return m(
          `Địa chỉ này không trả lời như nền tảng quốc gia${answer}: kiểm tra địa chỉ nền tảng (sai cổng hoặc đường dẫn sẽ tới một dịch vụ web khác, hoặc proxy trả lời thay).`,
          `That address does not answer as the national platform does${answer}: check the platform address (a wrong port or path reaches another web service, or a proxy answers instead).`,
        );
      }
      return m(`Nền tảng trả lời lỗi (${error.status ?? error.kind} ${error.code ?? ''}): thử lại sau hoặc gửi gói chẩn đoán cho đơn vị vận hành.`, `The platform answered with an error (${error.status ?? error.kind} ${error.code ?? ''}): retry later or send a diagnostics bundle to the operator.`);
  }
}

function errorDetail(error: unknown): Record<string, unknown> {
  return error instanceof PlatformError ? { kind: error.kind, status: error.status, code: error.code, cause: error.causeCode } : { error: String(error) };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
