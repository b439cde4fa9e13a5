import type { RecordData, SiteScope, WireRecord } from '../../../sync-engine/src/protocol/records.js';
import type { ValidationContext } from '../../../sync-engine/src/protocol/validation/index.js';
import { AdminUnitsInForce } from './admin-units-in-force.js';
import type { PlatformStore } from '../store/platform-store.js';
import { seedDemo, type SeedSummary } from '../seed/demo.js';
import { AgentRegistry, type AgentFilter, type AgentView } from './agents.js';
import { Catalog } from './catalog.js';
import { EnrollmentService, type IssuedToken, type TokenView } from './enrollment.js';
import { startNewEpoch, type NewEpoch } from './epoch.js';
import { MaintenanceSwitch, type MaintenanceState } from './maintenance.js';
import { readMessageLog, readSignedRequest, type MessageLogEntry, type MessageLogQuery } from './message-log.js';
import { checkProof, type ProofCheck } from './proof.js';
import type { SignedRequest } from './signed-requests.js';
import { NationalRecords, type ListOptions, type NationalPut, type WriteOutcome } from './national-records.js';
import { NO_SIGNER_CACHE, type SignerChanges } from './signer-directory.js';
import { SiteDirectory, type DatasetAccess, type NewSite, type SiteView } from './sites.js';
import { parseEpochHeadSeqs } from './rev-gap.js';
import { purgeTombstones, type PurgeOutcome } from './tombstone-purge.js';
import { epochImpact, purgeImpact, type EpochImpact, type PurgeImpact } from './impact.js';
import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import { listDatasetVersions, publishDatasetVersion, publishImpact, showDatasetVersion, type DatasetVersionView, type PublishImpact } from './dataset-versions.js';

export interface PlatformStatus {
  headSeq: number;
  epoch: string;
  /**
   * The head seq at which each epoch after the first began (`epoch new`, or
   * serve on a cursor ahead of its head), ascending; [] when none has: the
   * next change of a record last changed at or before one skips REV_GAP revs
   * for each (rev-gap.ts).
   */
  epochHeadSeqs: number[];
  /**
   * The time of the newest change the platform held when the current epoch
   * began: agents create again their records written after it (epoch.ts).
   * Null: no epoch begun, none held, or begun before this was kept.
   */
  epochHeadAt: string | null;
  purgeHorizonSeq: number;
  maintenance: MaintenanceState;
}

/** The operator's side of the platform, used by the CLI, the tests and the demo. */
export interface PlatformAdmin {
  addSite(site: NewSite): Promise<SiteView>;
  setSiteScope(code: string, scope: SiteScope): Promise<SiteView>;
  setSiteAccess(code: string, dataset: string, access: DatasetAccess): Promise<SiteView>;
  getSite(code: string): Promise<SiteView>;
  listSites(): Promise<SiteView[]>;
  /** A one-time enrollment token in plaintext (only its hash is stored). */
  createToken(request: { site: string; ttlSeconds?: number }): Promise<string>;
  /** The same, with the token's id and expiry (the CLI's `tokens create`). */
  issueToken(request: { site: string; ttlSeconds?: number }): Promise<IssuedToken>;
  listTokens(filter?: { site?: string }): Promise<TokenView[]>;
  /** Revokes an unused token by its id or the token itself: enrollment refuses it as expired. */
  revokeToken(idOrToken: string): Promise<TokenView>;
  /** `notSeenSince`: only agents whose last signed request came before that instant (ISO), or that made none. */
  listAgents(filter?: AgentFilter): Promise<AgentView[]>;
  approveAgent(id: string): Promise<AgentView>;
  revokeAgent(id: string): Promise<AgentView>;
  /** A national write (updatedBy `{ national: true }`), validated like a push; throws RecordRejectedError. */
  putRecord(dataset: string, data: RecordData, options?: { id?: string; baseRev?: number }): Promise<WriteOutcome>;
  /** Many national writes in one transaction, all or nothing. */
  putRecords(dataset: string, records: NationalPut[]): Promise<WriteOutcome[]>;
  deleteRecord(dataset: string, id: string): Promise<WriteOutcome>;
  getRecord(dataset: string, id: string): Promise<WireRecord | null>;
  listRecords(dataset: string, options?: ListOptions): Promise<(WireRecord & { seq: number })[]>;
  seedDemo(): Promise<SeedSummary>;
  setMaintenance(on: boolean, retryAfterSeconds?: number): Promise<MaintenanceState>;
  /** `at`: the instant the retention counts back from (default now): the one purgeImpact said, so the purge forgets what it said. */
  purgeTombstones(olderThanSeconds: number, at?: Date): Promise<PurgeOutcome>;
  /** What purgeTombstones would forget and whom it would send back to the start; writes nothing. */
  purgeImpact(olderThanSeconds: number, at?: Date): Promise<PurgeImpact>;
  /** Every pull cursor issued before is answered resync_required: a required step of a restore from backup. */
  newEpoch(): Promise<NewEpoch>;
  /** What newEpoch would touch (sites, agents, records); writes nothing. */
  epochImpact(): Promise<EpochImpact>;
  messageLog(query?: MessageLogQuery): Promise<MessageLogEntry[]>;
  /** A push request kept whole (a message log entry's requestId), to verify it again. */
  signedRequest(id: string): Promise<SignedRequest | null>;
  /** Checks a logged mutation's signature again, from the store alone. */
  checkProof(mutationId: string): Promise<ProofCheck>;
  status(): Promise<PlatformStatus>;
  /** Every dataset with the version in force (published here, else the one the build ships). */
  listDatasets(): Promise<DatasetVersionView[]>;
  /** A dataset's descriptor: the version in force, or `version` (null: the dataset has no such version). */
  showDataset(name: string, version?: number): Promise<DatasetDescriptor | null>;
  /** Checks a descriptor to publish (throws PublishRefusedError) and reads what publishing it would do; writes nothing. */
  datasetPublishImpact(candidate: unknown): Promise<{ descriptor: DatasetDescriptor; impact: PublishImpact }>;
  /** Publishes a checked descriptor as its dataset's version in force; agents take it at their next sync. */
  publishDataset(descriptor: DatasetDescriptor): Promise<{ dataset: string; version: number; publishedAt: string }>;
}

export interface AdminDependencies {
  store: PlatformStore;
  now?: () => Date;
  catalog?: Catalog;
  maintenance?: MaintenanceSwitch;
  /** Validate by these units instead of the platform's admin-units records (tests). */
  validation?: ValidationContext;
  /** The serving platform's units in force (startPlatform shares its own); one of this service's own otherwise. */
  units?: AdminUnitsInForce;
  /** Where a notice is written (an admin-units table that holds no unit); stderr by default. */
  log?: (line: string) => void;
  /** The serving platform's signer cache, told of every agent and site change made here. */
  signers?: SignerChanges;
}

export function createPlatformAdmin(deps: AdminDependencies): PlatformAdmin {
  const now = deps.now ?? (() => new Date());
  const catalog = deps.catalog ?? new Catalog();
  const maintenance = deps.maintenance ?? new MaintenanceSwitch(deps.store);
  const signers = deps.signers ?? NO_SIGNER_CACHE;
  const units = deps.units ?? new AdminUnitsInForce(deps.validation?.adminUnits, deps.log);
  const sites = new SiteDirectory(deps.store, now, signers, units);
  const agents = new AgentRegistry(deps.store, now, signers);
  const enrollment = new EnrollmentService(deps.store, now);
  const records = new NationalRecords(deps.store, catalog, now, units);
  return {
    addSite: (site) => sites.add(site),
    setSiteScope: (code, scope) => sites.setScope(code, scope),
    setSiteAccess: (code, dataset, access) => {
      catalog.get(dataset);
      return sites.setAccess(code, dataset, access);
    },
    getSite: (code) => sites.view(code),
    listSites: () => sites.list(),
    createToken: async (request) => (await enrollment.createToken(request)).token,
    issueToken: (request) => enrollment.createToken(request),
    listTokens: (filter) => enrollment.listTokens(filter),
    revokeToken: (idOrToken) => enrollment.revokeToken(idOrToken),
    listAgents: (filter) => agents.list(filter),
    approveAgent: (id) => agents.approve(id),
    revokeAgent: (id) => agents.revoke(id),
    putRecord: (dataset, data, options) => records.put(dataset, data, options),
    putRecords: (dataset, list) => records.putMany(dataset, list),
    deleteRecord: (dataset, id) => records.delete(dataset, id),
    getRecord: (dataset, id) => records.get(dataset, id),
    listRecords: (dataset, options) => records.list(dataset, options),
    seedDemo: () => seedDemo(sites, records),
    setMaintenance: (on, retryAfterSeconds) => maintenance.set(on, retryAfterSeconds),
    purgeTombstones: (olderThanSeconds, at) => purgeTombstones(deps.store, at ?? now(), olderThanSeconds),
    purgeImpact: (olderThanSeconds, at) => purgeImpact(deps.store, at ?? now(), olderThanSeconds),
    newEpoch: () => startNewEpoch(deps.store),
    epochImpact: () => epochImpact(deps.store),
    messageLog: (query) => readMessageLog(deps.store, query),
    signedRequest: (id) => readSignedRequest(deps.store, id),
    checkProof: (mutationId) => checkProof(deps.store, mutationId),
    listDatasets: () => listDatasetVersions(deps.store),
    showDataset: (name, version) => showDatasetVersion(deps.store, name, version),
    datasetPublishImpact: async (candidate) => {
      await units.refresh(deps.store);
      return publishImpact(deps.store, candidate, units.validation());
    },
    publishDataset: (descriptor) => publishDatasetVersion(deps.store, descriptor, now()),
    status: async () => {
      const state = await deps.store.state();
      return {
        headSeq: state.headSeq,
        epoch: state.epoch,
        epochHeadSeqs: parseEpochHeadSeqs(state.epochHeadSeqs),
        epochHeadAt: state.epochHeadAt,
        purgeHorizonSeq: state.purgeHorizonSeq,
        maintenance: { on: state.maintenance, retryAfterSeconds: state.maintenanceRetryAfter },
      };
    },
  };
}
