import type { PlatformLimits } from '../protocol/catalog.js';
import { GUARANTEED_PUSH_BATCH, MAX_BODY_BYTES, MAX_RECORD_BYTES } from '../protocol/limits.js';
import { clamp } from '../records/record-reads.js';

/**
 * The largest batch this agent sends, whatever a platform advertises: 2,000
 * pushed 11-14 % more records/s than 500 against the reference platform, with
 * 10-16 % less platform CPU per record (docs/performance.md, scenario 3).
 */
export const AGENT_MAX_PUSH_BATCH = 2000;

/**
 * The largest push body this agent builds, and the one it assumes where the
 * platform states none (the protocol names no figure; 4 MiB is what the
 * reference platform has always taken).
 */
export const AGENT_MAX_BODY_BYTES = MAX_BODY_BYTES;

/** An advertised body cap below this is taken as this: a platform must take one record of MAX_RECORD_BYTES and its envelope. */
const MIN_BODY_BYTES = 2 * MAX_RECORD_BYTES;

export interface PushLimits {
  /** Mutations per push. */
  batch: number;
  /** Request body bytes per push. */
  bodyBytes: number;
}

/**
 * What this agent may send to a platform that advertised `limits` with its
 * catalog: its caps, within the agent's own maximums; the protocol's
 * guaranteed 500 where it advertised none (or less, which the protocol does
 * not allow).
 */
export function pushLimits(limits: PlatformLimits | undefined): PushLimits {
  const batch = limits?.pushBatch;
  const body = limits?.bodyBytes;
  return {
    batch: batch === undefined ? GUARANTEED_PUSH_BATCH : clamp(batch, GUARANTEED_PUSH_BATCH, AGENT_MAX_PUSH_BATCH),
    bodyBytes: body === undefined ? AGENT_MAX_BODY_BYTES : clamp(body, MIN_BODY_BYTES, AGENT_MAX_BODY_BYTES),
  };
}

