import { InitialSchema1767225600000 } from './0001-initial-schema.js';
import { LeanRecords1767830400000 } from './0002-lean-records.js';
import { DigestJournal1767916800000 } from './0003-digest-journal.js';
import { LeftScope1768003200000 } from './0004-left-scope.js';
import { OutboxFaults1768089600000 } from './0005-outbox-faults.js';
import { SyncRunsThrough1768176000000 } from './0006-sync-runs-through.js';
import { ResyncRestored1768262400000 } from './0007-resync-restored.js';
import { RestoreConflicts1768348800000 } from './0008-restore-conflicts.js';
import { ConflictSeq1768435200000 } from './0009-conflict-seq.js';

/** Every migration, oldest first. Append; never edit one that has shipped. */
export const MIGRATIONS = [InitialSchema1767225600000, LeanRecords1767830400000, DigestJournal1767916800000, LeftScope1768003200000, OutboxFaults1768089600000, SyncRunsThrough1768176000000, ResyncRestored1768262400000, RestoreConflicts1768348800000, ConflictSeq1768435200000];
