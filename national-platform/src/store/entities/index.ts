import { AgentEntity, EnrollmentTokenEntity, NonceEntity } from './agent.js';
import { DatasetVersionEntity } from './dataset-version.js';
import { MessageLogEntity } from './mutation-log.js';
import { PlatformStateEntity } from './platform-state.js';
import { DigestBucketEntity, RecordEntity, RecordScopeHistoryEntity, UniqueKeyEntity } from './record.js';
import { SiteAccessEntity, SiteEntity, SiteScopeVersionEntity } from './site.js';

export * from './agent.js';
export * from './dataset-version.js';
export * from './mutation-log.js';
export * from './platform-state.js';
export * from './record.js';
export * from './site.js';

export const ENTITIES = [
  PlatformStateEntity,
  SiteEntity,
  SiteScopeVersionEntity,
  SiteAccessEntity,
  EnrollmentTokenEntity,
  AgentEntity,
  NonceEntity,
  RecordEntity,
  RecordScopeHistoryEntity,
  UniqueKeyEntity,
  DigestBucketEntity,
  MessageLogEntity,
  DatasetVersionEntity,
];
