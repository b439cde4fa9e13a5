import { z } from 'zod';
import { isoTimeSchema, siteCodeSchema, siteScopeSchema, uuidSchema } from './records.js';
import { PROTOCOL_VERSION } from './limits.js';

export const enrollmentRequestSchema = z.object({
  token: z.string().min(16).max(256),
  siteCode: siteCodeSchema,
  agentName: z.string().min(1).max(200),
  /** Ed25519 public key, SPKI PEM. */
  publicKey: z.string().min(40).max(1000),
  /**
   * The agent id this data folder was enrolled under before, on the same
   * platform for the same site (optional; older agents send none). A restored
   * platform that does not know it answers `restoredHeadAt`.
   */
  previousAgentId: uuidSchema.optional(),
});
export type EnrollmentRequest = z.infer<typeof enrollmentRequestSchema>;

export const agentStatusSchema = z.enum(['active', 'pending', 'revoked']);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

export const enrollmentResponseSchema = z.object({
  agentId: uuidSchema,
  siteCode: siteCodeSchema,
  scope: siteScopeSchema,
  status: z.enum(['active', 'pending']),
  /**
   * Only when `previousAgentId` names an agent this platform does not know,
   * enrolled after the newest change the platform held when its current epoch
   * began (`epoch new` after a restore): that time. The enrollment was lost in
   * the restore, and with it what that agent sent; the agent sends again the
   * records it created after that time (docs/protocol.md, Enrollment). Read
   * leniently, as the 410's `headAt`: an answer the token was spent on is never
   * refused for it; the agent uses it only when it is an ISO time.
   */
  restoredHeadAt: z.string().max(40).optional(),
});
export type EnrollmentResponse = z.infer<typeof enrollmentResponseSchema>;

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'maintenance']),
  time: isoTimeSchema,
  protocol: z.literal(PROTOCOL_VERSION),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
