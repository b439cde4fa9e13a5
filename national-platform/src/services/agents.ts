import { AgentEntity, type AgentRow } from '../store/entities/agent.js';
import type { PlatformStore } from '../store/platform-store.js';
import { PlatformError } from './platform-error.js';
import { NO_SIGNER_CACHE, type SignerChanges } from './signer-directory.js';

export interface AgentView {
  id: string;
  siteCode: string;
  name: string;
  status: AgentRow['status'];
  createdAt: string;
  statusChangedAt: string;
  /** Its last signed request the platform answered (last-seen.ts); null: none since it enrolled. */
  lastSeenAt: string | null;
}

export interface AgentFilter {
  site?: string | undefined;
  status?: AgentRow['status'] | undefined;
  notSeenSince?: string | undefined;
}

const view = ({ publicKeyPem: _key, ...agent }: AgentRow): AgentView => agent;

/** The operator's view of enrolled agents: approve the pending, revoke the lost. */
export class AgentRegistry {
  constructor(
    private readonly store: PlatformStore,
    private readonly now: () => Date,
    private readonly changes: SignerChanges = NO_SIGNER_CACHE,
  ) {}

  /** `notSeenSince` (ISO): only those last seen before it, or never (last-seen.ts). */
  async list(filter: AgentFilter = {}): Promise<AgentView[]> {
    const where: Partial<Pick<AgentRow, 'siteCode' | 'status'>> = {};
    if (filter.site) where.siteCode = filter.site;
    if (filter.status) where.status = filter.status;
    const rows = await this.store.read((em) => em.getRepository(AgentEntity).find({ where, order: { createdAt: 'ASC', id: 'ASC' } }));
    const since = filter.notSeenSince;
    return (since === undefined ? rows : rows.filter((a) => a.lastSeenAt === null || a.lastSeenAt < since)).map(view);
  }

  async approve(id: string): Promise<AgentView> {
    return this.setStatus(id, 'active', (from) => {
      if (from === 'revoked') throw new PlatformError('bad_request', 'a revoked agent cannot be approved: enroll it again');
    });
  }

  async revoke(id: string): Promise<AgentView> {
    return this.setStatus(id, 'revoked', () => undefined);
  }

  private async setStatus(id: string, status: AgentRow['status'], guard: (from: AgentRow['status']) => void): Promise<AgentView> {
    const at = this.now().toISOString();
    const out = await this.store.write(async (em) => {
      const agent = await em.getRepository(AgentEntity).findOneBy({ id });
      if (!agent) throw new PlatformError('not_found', `no agent with id ${id}`);
      guard(agent.status);
      if (agent.status !== status) {
        await em.createQueryBuilder().update(AgentEntity).set({ status, statusChangedAt: at }).where('id = :id', { id }).execute();
      }
      return view({ ...agent, status, statusChangedAt: agent.status !== status ? at : agent.statusChangedAt });
    });
    // After the commit: the next request of this agent reads the new status.
    this.changes.agentChanged(id);
    return out;
  }
}
