import type { AgentApi, Localized } from '../../sync-engine/src/api/index.js';
import type { AgentApiClient, HostedAgentService } from './ports.js';

/**
 * Exactly one process syncs a data folder. If the background service
 * (`edge-agent run`) holds the folder's lease, the window becomes a client of
 * its local admin API; otherwise the window hosts the AgentService itself.
 * When the holder has no admin API answering here (a one-shot `edge-agent
 * sync`, a process on another computer sharing the folder, a service still
 * starting), the window hosts the AgentService in standby: records can be
 * read and edited, the Overview says who syncs, and the window takes the
 * lease over when the holder stops. A listener on the admin port that cannot
 * prove it knows the token (another local user's program) counts as no admin
 * API: the engine's client reports it unreachable and never sends it the token.
 * Each start of the service issues a new token: the window's client reads the
 * token file again when the service refuses the one it holds, so the window
 * stays its client across a service restart.
 */
export type HostChoice =
  | { mode: 'in-process'; api: AgentApi; close(): Promise<void> }
  | { mode: 'client'; api: AgentApi; url: string; close(): Promise<void> }
  | { mode: 'unavailable'; reason: Localized };

export type ChooseHostOptions = {
  dataDir: string;
  leaseHeldByOther: () => Promise<boolean>;
  adminApiUrl: string;
  readAdminToken: (dataDir: string) => string | null;
  createClient: (options: { baseUrl: string; token: string; rereadToken: () => string | null }) => AgentApiClient;
  createAgentService: (dataDir: string, options?: { standby?: boolean }) => Promise<HostedAgentService>;
};

const reasons = {
  tokenUnreadable: {
    vi: 'Dịch vụ nền của tác tử đang chạy nhưng cửa sổ không đọc được mã truy cập trong thư mục dữ liệu. Hãy mở bằng tài khoản quản trị hoặc dùng bảng điều khiển web.',
    en: "The agent's background service is running, but the window cannot read the access token in the data folder. Open it as an administrator or use the web console.",
  },
} satisfies Record<string, Localized>;

export async function chooseHost(options: ChooseHostOptions): Promise<HostChoice> {
  if (await options.leaseHeldByOther()) return connectAsClient(options);
  try {
    return await hostInProcess(options, false);
  } catch (error) {
    // The service may have taken the lease between the check and our start.
    if (await options.leaseHeldByOther()) return connectAsClient(options);
    throw error;
  }
}

async function connectAsClient(options: ChooseHostOptions): Promise<HostChoice> {
  const token = options.readAdminToken(options.dataDir);
  if (token === null) return { mode: 'unavailable', reason: reasons.tokenUnreadable };
  const client = options.createClient({ baseUrl: options.adminApiUrl, token, rereadToken: () => options.readAdminToken(options.dataDir) });
  const probe = await client.call('status.get', {});
  if (!probe.ok && (probe.error.code === 'unreachable' || probe.error.code === 'unauthorized')) {
    client.close();
    if (probe.error.code === 'unreachable') return hostInProcess(options, true);
    return { mode: 'unavailable', reason: reasons.tokenUnreadable };
  }
  return { mode: 'client', api: client, url: options.adminApiUrl, close: async () => client.close() };
}

async function hostInProcess(options: ChooseHostOptions, standby: boolean): Promise<HostChoice> {
  const service = await options.createAgentService(options.dataDir, { standby });
  return { mode: 'in-process', api: service, close: () => service.close() };
}
