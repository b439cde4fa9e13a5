import { AgentEntity, type AgentRow } from '../store/entities/agent.js';
import { SiteEntity, type SiteRow } from '../store/entities/site.js';
import type { PlatformStore } from '../store/platform-store.js';

/** An enrolled agent and its site (null only if the site row is missing). */
export interface Signer {
  agent: AgentRow;
  site: SiteRow | null;
}

/** What the operator's functions tell the directory when they change an agent or a site. */
export interface SignerChanges {
  agentChanged(agentId: string): void;
  siteChanged(siteCode: string): void;
}

/** How long a looked-up signer is trusted when no one says it changed (another process, e.g. the CLI). */
export const SIGNER_TTL_MS = 1000;
/** Past this many entries the directory starts afresh: a bound, not a working size. */
const MAX_ENTRIES = 20_000;

/**
 * The agent (key and status) and site behind each signed request, read in one
 * snapshot and kept briefly, so a signed request costs no store round trip of
 * its own beyond the service's. The operator's functions in this process
 * (approve, revoke, site scope and access) forget the entries they change at
 * once, so a revocation takes effect on the next request; a change made by
 * another process (the CLI while `serve` runs) takes effect within
 * SIGNER_TTL_MS, as the maintenance switch does.
 *
 * The services never take scope or access from here: pull, push, digest and the
 * catalog re-read the site inside their own transaction. Only the agent's
 * status and key, and the site's code, are used from the cache.
 */
export class SignerDirectory implements SignerChanges {
  private readonly entries = new Map<string, { signer: Signer; at: number }>();
  /** Bumped by every change, so a lookup that raced one is not cached. */
  private generation = 0;

  constructor(
    private readonly store: PlatformStore,
    private readonly clockMs: () => number,
    private readonly ttlMs: number = SIGNER_TTL_MS,
  ) {}

  /** The signer with this agent id, or null when no agent has it (never cached). */
  async find(agentId: string): Promise<Signer | null> {
    const t = this.clockMs();
    const hit = this.entries.get(agentId);
    if (hit && t - hit.at >= 0 && t - hit.at < this.ttlMs) return hit.signer;
    const generation = this.generation;
    // One statement: the agent with its site joined.
    const row = await this.store.lookup((em) =>
      em
        .getRepository(AgentEntity)
        .createQueryBuilder('a')
        .leftJoinAndMapOne('a.site', SiteEntity.options.name, 's', 's.code = a.site_code')
        .where('a.id = :id', { id: agentId })
        .getOne(),
    );
    const signer = row ? splitSite(row as AgentRow & { site?: SiteRow | null }) : null;
    if (!signer) {
      this.entries.delete(agentId);
      return null;
    }
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(agentId, { signer, at: t });
    }
    return signer;
  }

  agentChanged(agentId: string): void {
    this.generation += 1;
    this.entries.delete(agentId);
  }

  siteChanged(siteCode: string): void {
    this.generation += 1;
    for (const [id, entry] of this.entries) if (entry.signer.agent.siteCode === siteCode) this.entries.delete(id);
  }
}

function splitSite({ site, ...agent }: AgentRow & { site?: SiteRow | null }): Signer {
  return { agent, site: site ?? null };
}

/** For admin functions that run with no platform in the process (the CLI). */
export const NO_SIGNER_CACHE: SignerChanges = { agentChanged: () => undefined, siteChanged: () => undefined };
