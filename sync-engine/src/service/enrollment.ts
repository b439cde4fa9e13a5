import { resolve } from 'node:path';
import { checkPlatformAddress, platformAddressRefusal } from '../protocol/platform-address.js';
import type { EnrollmentResponse } from '../protocol/enrollment.js';
import { generateAgentKeyPair, type AgentKeyPair } from '../protocol/signing.js';
import type { SiteScope } from '../protocol/records.js';
import { isoTimeSchema, siteCodeSchema } from '../protocol/records.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import { StoreBusyError } from '../store/agent-store.js';
import { allCursorStates, beginResync, isPlatformError, type PlatformError } from '../sync/index.js';
import type { Enroll, KeyStore } from '../sync/ports.js';
import type { AgentSettings } from './agent-settings.js';
import { normalisePlatformUrl } from './agent-settings.js';
import { refusals, ServiceRefusal, TOKEN_NOT_SENT } from './service-errors.js';
import { shellWord } from './shell-word.js';
import { storeFailure } from './store-refusal.js';

export interface EnrollmentDeps {
  ctx: EngineContext;
  settings: AgentSettings;
  keyStore: KeyStore;
  enroll: Enroll;
  agentName: string;
  /** The data folder, and the other live holder of its lease (named when its data file is busy). */
  dataDir: string;
  otherHolder: () => Promise<string | null>;
  /** The connection's standing refusal (agent_revoked, agent_pending, clock_skew…), or null. */
  standing?: () => string | null;
}

/** The platform's refusals of the token itself. */
const TOKEN_REFUSALS = new Set(['token_used', 'token_expired', 'token_invalid', 'token_wrong_site']);
/** Standing refusals under which this computer's identity no longer works: not "still enrolled". */
const IDENTITY_GONE = new Set(['agent_revoked', 'unknown_agent']);

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
 * The token works once, so whatever this computer must write once the
 * platform accepted it has to be writable before it is sent: the data file's
 * write lock is taken first (a durable transaction begins IMMEDIATE), held
 * across the platform's answer, and the identity, settings and resync are
 * written under it in that one transaction. A data file another process keeps
 * busy past the busy timeout is refused before the token leaves this computer
 * (`busy`: the token was not sent, nothing was saved, it can still be used).
 * Meanwhile other writers wait: this process's in its queue, another
 * process's up to its busy timeout (its save is then refused `busy`, nothing
 * lost) — for one request (at most its 30 s timeout), rare and asked for by IT.
 *
 * The key is saved only after the platform accepted it, so a refused token
 * never replaces the key of an agent that is already enrolled. Should saving
 * fail after the platform accepted (a full disk, a failed commit), the
 * previous key is put back and the refusal says the token is used up
 * (refusals.enrollmentNotSaved). (A crash in between loses the new key and
 * the used token: the operator issues another.) A new identity starts every
 * dataset's pull from the beginning: cursors are issued per agent, and the
 * office's outbox is kept. Enrolled again for the same site on the same
 * platform, it names the identity it had (`previousAgentId`): a platform
 * restored from a backup older than that enrollment says so, and the records
 * this office created since are sent again (lostEnrollmentHeadAt).
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
  const { ctx } = deps;
  // What happened before a failure: whether the platform accepted the token, and the key this one replaced.
  const sent: { answer: EnrollmentResponse | null; replacedKey: AgentKeyPair | null | undefined } = { answer: null, replacedKey: undefined };
  try {
    await ctx.store.transaction(async (tx) => {
      const previous = await ctx.credentials.identity(tx);
      // The same office on the same platform: a platform restored without this agent's enrollment says so.
      const sameOffice = previous !== null && previous.platformUrl === platformUrl && previous.siteCode === siteCode;
      const answer = await deps.enroll(platformUrl, {
        token: input.token,
        siteCode,
        agentName: deps.agentName,
        publicKey: keys.publicKeyPem,
        ...(sameOffice ? { previousAgentId: previous.agentId } : {}),
      });
      sent.answer = answer;
      sent.replacedKey = await deps.keyStore.load();
      await deps.keyStore.save(keys);
      await deps.settings.writeIn(tx, { platformUrl, siteCode: answer.siteCode });
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
      if (previous !== null && previous.agentId !== answer.agentId) {
        const restoredHeadAt = sameOffice ? lostEnrollmentHeadAt(answer) : null;
        for (const cursor of await allCursorStates(tx)) await beginResync(tx, cursor.dataset, isoNow(ctx), restoredHeadAt);
      }
    });
  } catch (error) {
    if (sent.answer === null) {
      // No answer accepted the token: the data file was busy (or failed) before it was sent, or the platform refused it or did not answer.
      if (storeFailure(deps.dataDir, error) instanceof StoreBusyError) {
        throw refusals.storeWriteBusy(deps.dataDir, await deps.otherHolder().catch(() => null), TOKEN_NOT_SENT);
      }
      if (isPlatformError(error) && notThePlatformsAnswer(error)) {
        const failure = { kind: error.kind, cause: error.causeCode, status: error.status, code: error.code };
        throw refusals.enrollmentUnreachable(platformUrl, failure, proxyHostOf(settings.proxy), shellWord(resolve(deps.dataDir)));
      }
      if (isPlatformError(error) && error.code !== undefined && TOKEN_REFUSALS.has(error.code)) {
        // Typed again on a folder that is enrolled (the same command twice): the refusal changed nothing, and says so.
        const current = await ctx.credentials.identity(ctx.store.sql).catch(() => null);
        const standing = deps.standing?.() ?? null;
        if (current !== null && !IDENTITY_GONE.has(standing ?? '') && current.status !== 'revoked') {
          throw refusals.tokenRefusedWhileEnrolled(error.code, current, standing, shellWord(resolve(deps.dataDir)));
        }
      }
      throw error;
    }
    const unchanged = await putBack(deps.keyStore, sent.replacedKey);
    throw refusals.enrollmentNotSaved(sent.answer.agentId, String((error as Error)?.message ?? error), unchanged);
  }
  const answer = sent.answer as EnrollmentResponse;
  return { status: answer.status, agentId: answer.agentId, siteCode: answer.siteCode, scope: answer.scope, platformUrl };
}

/**
 * The platform's `restoredHeadAt`: it was restored without this folder's
 * previous enrollment, so the records this office created after that time are
 * missing there too. The resync the new identity begins carries it, as one a
 * `410 platform_restored` begins does, and sends them again at its end
 * (sync/lost-changes.ts, resendLostCreates). Null when absent or not a time.
 */
function lostEnrollmentHeadAt(answer: EnrollmentResponse): string | null {
  const at = answer.restoredHeadAt;
  return at !== undefined && isoTimeSchema.safeParse(at).success ? at : null;
}

/**
 * After a failed enrollment: the key the new one may have replaced, saved
 * again (`replaced` undefined: the key store was not touched; null: there was
 * none, and the new key, which no stored identity names, stays). True when
 * the key store is as it was for the identity still stored.
 */
async function putBack(keyStore: KeyStore, replaced: AgentKeyPair | null | undefined): Promise<boolean> {
  if (!replaced) return true;
  return keyStore.save(replaced).then(
    () => true,
    () => false,
  );
}

/** host:port of the proxy setting (never its user name or password); null when none is set. */
function proxyHostOf(proxy: string | null): string | null {
  if (proxy === null) return null;
  try {
    return new URL(proxy).host;
  } catch {
    return null;
  }
}

/**
 * No answer (network, timeout, TLS), one that does not follow the protocol,
 * or the platform's own trouble (maintenance, rate limit, a server error, an
 * HTTP error without a protocol code: another web service at the address);
 * not a refusal of the token or of the request, which says what it is.
 */
function notThePlatformsAnswer(error: PlatformError): boolean {
  if (error.kind !== 'http') return true;
  const status = error.status ?? 0;
  return error.code === undefined || status >= 500 || status === 429;
}
