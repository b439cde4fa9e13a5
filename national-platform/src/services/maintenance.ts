import { PlatformStateEntity } from '../store/entities/platform-state.js';
import type { PlatformStore } from '../store/platform-store.js';

export interface MaintenanceState {
  on: boolean;
  retryAfterSeconds: number;
}

/** How long a read of the switch is trusted: the CLI flips it in the store while `serve` runs. */
const CACHE_MS = 1000;
export const DEFAULT_MAINTENANCE_RETRY_AFTER = 120;

/** The maintenance switch, stored in platform_state so another process can flip it. */
export class MaintenanceSwitch {
  private cached: { state: MaintenanceState; at: number } | null = null;

  constructor(
    private readonly store: PlatformStore,
    private readonly clock: () => number = Date.now,
  ) {}

  async current(): Promise<MaintenanceState> {
    const t = this.clock();
    if (this.cached && t - this.cached.at >= 0 && t - this.cached.at < CACHE_MS) return this.cached.state;
    const row = await this.store.state();
    const state = { on: row.maintenance, retryAfterSeconds: row.maintenanceRetryAfter || DEFAULT_MAINTENANCE_RETRY_AFTER };
    this.cached = { state, at: t };
    return state;
  }

  async set(on: boolean, retryAfterSeconds = DEFAULT_MAINTENANCE_RETRY_AFTER): Promise<MaintenanceState> {
    const retry = Math.max(1, Math.round(retryAfterSeconds));
    await this.store.write((em) =>
      em.createQueryBuilder().update(PlatformStateEntity).set({ maintenance: on, maintenanceRetryAfter: retry }).where('id = 1').execute(),
    );
    const state = { on, retryAfterSeconds: retry };
    this.cached = { state, at: this.clock() };
    return state;
  }
}
