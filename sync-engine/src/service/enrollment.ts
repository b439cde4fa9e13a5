import { checkPlatformAddress, platformAddressRefusal } from '../protocol/platform-address.js';
import { generateAgentKeyPair } from '../protocol/signing.js';
import type { SiteScope } from '../protocol/records.js';
import { siteCodeSchema } from '../protocol/records.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import { allCursorStates, startResync } from '../sync/index.js';
import type { Enroll, KeyStore } from '../sync/ports.js';
import type { AgentSettings } from './agent-settings.js';
import { normalisePlatformUrl } from './agent-settings.js';
import { refusals, ServiceRefusal } from './service-errors.js';

export interface EnrollmentDeps {
  ctx: EngineContext;
  settings: AgentSettings;
  keyStore: KeyStore;
  enroll: Enroll;
  agentName: string;
}

export interface EnrollInput {
  token: string;
  platformUrl?: string | undefined;
  siteCode?: string | undefined;
}

export interface Enrolled {
  status: 'active' | 'pending';
  agentId: string;
  siteCode: string;
  scope: SiteScope;
  platformUrl: string;
}

/**
 * Enrolls this agent (SYNC-PROTOCOL.md, Enrollment): a new Ed25519 key pair
 * made here, its public half sent with the one-time token, the private half
 * kept by the KeyStore (a 0600 file in the data folder; the desktop app may
 * move it to the OS keychain through the same port) and never sent anywhere.
 *
 * The key is saved only after the platform accepted it, so a refused token
 * never replaces the key of an agent that is already enrolled. (A crash in
 * between loses the new key and the used token: the operator issues another.)
 * A new identity starts every dataset's pull from the beginning: cursors are
 * issued per agent, and the office's outbox is kept.
 */
export async function enrollAgent(deps: EnrollmentDeps, input: EnrollInput): Promise<Enrolled> {
  const settings = await deps.settings.read();
  const platformUrl = input.platformUrl ? normalisePlatformUrl(input.platformUrl) : settings.platformUrl;
  if (!platformUrl) throw refusals.notInitialised();
  // An address stored before the rule (or given by a caller that skipped the contract) is refused here too.
  const address = checkPlatformAddress(platformUrl);
  if (!address.ok) throw new ServiceRefusal('invalid_input', platformAddressRefusal(platformUrl, address.messages));
  const siteCode = input.siteCode ?? settings.siteCode;
  if (!siteCode) throw refusals.noSite();
  if (!siteCodeSchema.safeParse(siteCode).success) {
    throw new ServiceRefusal('invalid_input', {
      vi: `Mã đơn vị "${siteCode}" không hợp lệ (chữ, số, dấu - và _).`,
      en: `The site code "${siteCode}" is not valid (letters, digits, - and _).`,
    });
  }

  const keys = generateAgentKeyPair();
  const answer = await deps.enroll(platformUrl, { token: input.token, siteCode, agentName: deps.agentName, publicKey: keys.publicKeyPem });
  await deps.keyStore.save(keys);

  const { ctx } = deps;
  const previous = await ctx.credentials.identity(ctx.store.sql);
  await deps.settings.write({ platformUrl, siteCode: answer.siteCode });
  await ctx.store.transaction(async (tx) => {
    await ctx.credentials.clear(tx);
    await ctx.credentials.saveIdentity(tx, {
      agentId: answer.agentId,
      siteCode: answer.siteCode,
      scope: answer.scope,
      status: answer.status,
      platformUrl,
      keyRef: deps.keyStore.ref,
      agentName: deps.agentName,
      enrolledAt: isoNow(ctx),
    });
  });
  if (previous !== null && previous.agentId !== answer.agentId) {
    for (const cursor of await allCursorStates(ctx.store.sql)) await startResync(ctx, cursor.dataset);
  }
  return { status: answer.status, agentId: answer.agentId, siteCode: answer.siteCode, scope: answer.scope, platformUrl };
}
