import { z } from 'zod';
import { isoTimeSchema, siteCodeSchema, siteScopeSchema, uuidSchema } from './records.js';
import { PROTOCOL_VERSION } from './limits.js';

export const enrollmentRequestSchema = z.object({
  token: z.string().min(16).max(256),
  siteCode: siteCodeSchema,
  agentName: z.string().min(1).max(200),
  /** Ed25519 public key, SPKI PEM. */
  publicKey: z.string().min(40).max(1000),
});
export type EnrollmentRequest = z.infer<typeof enrollmentRequestSchema>;

export const agentStatusSchema = z.enum(['active', 'pending', 'revoked']);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

export const enrollmentResponseSchema = z.object({
  agentId: uuidSchema,
  siteCode: siteCodeSchema,
  scope: siteScopeSchema,
  status: z.enum(['active', 'pending']),
});
export type EnrollmentResponse = z.infer<typeof enrollmentResponseSchema>;

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'maintenance']),
  time: isoTimeSchema,
  protocol: z.literal(PROTOCOL_VERSION),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
