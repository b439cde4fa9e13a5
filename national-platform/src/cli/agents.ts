import type { Command } from 'commander';
import { MAX_TOKEN_TTL_SECONDS } from '../services/enrollment.js';
import { dateTime } from './date-time.js';
import { CliError, parseDuration, printRows, withAdmin, type CliIo } from './context.js';
import { langOf, speaker, type Speak } from './language.js';
import { platformUrlOption, tokenHandover } from './token-handover.js';

const MAX_TOKEN_TTL_DAYS = MAX_TOKEN_TTL_SECONDS / 86_400;

export function tokensCommand(program: Command, io: CliIo): void {
  const tokens = program.command('tokens').description('one-time enrollment tokens');
  tokens
    .command('create')
    .description('issue a token for a site (printed once; only its hash is stored)')
    .requiredOption('--site <code>', 'the site the agent will belong to')
    .option('--ttl <duration>', `lifetime, e.g. 30m, 24h, 7d; at most ${MAX_TOKEN_TTL_DAYS}d`, '24h')
    .option('--platform-url <url>', 'the address offices reach the platform at, written into the enroll line shown')
    .option('--json', 'print JSON (with the token\'s id and expiry)')
    .action(async (o: { site: string; ttl: string; platformUrl?: string; json?: boolean }, command: Command) => {
      const ttlSeconds = parseDuration(o.ttl);
      const platformUrl = platformUrlOption(o.platformUrl);
      if (ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
        throw new CliError({
          vi: `--ttl ${o.ttl} quá dài: một mã đăng ký dùng được nhiều nhất ${MAX_TOKEN_TTL_DAYS}d (${MAX_TOKEN_TTL_DAYS} ngày)`,
          en: `--ttl ${o.ttl} is too long: a token lives at most ${MAX_TOKEN_TTL_DAYS}d (${MAX_TOKEN_TTL_DAYS} days)`,
        });
      }
      const { issued, site } = await withAdmin(command, async (admin) => {
        const made = await admin.issueToken({ site: o.site, ttlSeconds });
        return { issued: made, site: await admin.getSite(made.siteCode) };
      });
      // What scripts read stays as it was: the JSON, or the token alone. A person at a terminal reads under the token
      // what to do with it; elsewhere that goes to stderr, without the token itself.
      io.out(o.json ? `${JSON.stringify({ site: issued.siteCode, id: issued.id, token: issued.token, ttlSeconds, expiresAt: issued.expiresAt })}\n` : `${issued.token}\n`);
      const person = o.json !== true && io.outIsTerminal === true;
      const handover = tokenHandover(speaker(command), issued, site, { ttl: o.ttl, platformUrl, token: person ? issued.token : null });
      if (person) io.out(`\n${handover}`);
      else io.err(handover);
    });
  tokens
    .command('list')
    .description('tokens issued, newest first: id, site, state (unused, used, expired, revoked), expiry; never the token')
    .option('--site <code>', 'only this site')
    .option('--json', 'print JSON')
    .action(async (o: { site?: string; json?: boolean }, command: Command) => {
      const list = await withAdmin(command, (admin) => admin.listTokens(o.site !== undefined ? { site: o.site } : {}));
      printRows(io, langOf(command), o.json === true, list as unknown as Record<string, unknown>[], ['id', 'siteCode', 'state', 'createdAt', 'expiresAt', 'usedByAgent']);
    });
  tokens
    .command('revoke <id>')
    .description('cancel an unused token before it expires (its id from "tokens list", or the token itself); enrollment then refuses it')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const token = await withAdmin(command, (admin) => admin.revokeToken(id.trim()));
      const t = speaker(command);
      const since = dateTime(token.revokedAt ?? '');
      io.out(
        o.json
          ? `${JSON.stringify(token)}\n`
          : `${t(`mã đăng ký ${token.id} (${token.siteCode}) đã bị thu hồi từ ${since}`, `token ${token.id} (${token.siteCode}) is revoked since ${since}`)}\n`,
      );
    });
}

export function agentsCommand(program: Command, io: CliIo): void {
  const agents = program.command('agents').description('enrolled agents');
  agents
    .command('list')
    .description('list agents, with when each last made a signed request (a sync): lastSeenAt, empty when never')
    .option('--site <code>', 'only this site')
    .option('--not-seen-for <duration>', 'only active agents not seen for this long (e.g. 3d, 12h), or never since they enrolled')
    .option('--json', 'print JSON')
    .action(async (o: { site?: string; notSeenFor?: string; json?: boolean }, command: Command) => {
      const silentSeconds = o.notSeenFor === undefined ? undefined : parseDuration(o.notSeenFor);
      const list = await withAdmin(command, async (admin) => {
        // A mistyped site code listed "(none)", as if the site had no agents.
        if (o.site !== undefined) await admin.getSite(o.site);
        return admin.listAgents({
          ...(o.site !== undefined ? { site: o.site } : {}),
          ...(silentSeconds !== undefined ? { status: 'active' as const, notSeenSince: new Date(Date.now() - silentSeconds * 1000).toISOString() } : {}),
        });
      });
      const t = speaker(command);
      if (o.json !== true && list.length === 0 && o.notSeenFor !== undefined) {
        io.out(`${t(`mọi tác tử đang được đồng bộ đều đã liên lạc trong vòng ${o.notSeenFor} qua`, `every active agent was seen within the last ${o.notSeenFor}`)}\n`);
        return;
      }
      // Text: an agent never seen says so, where an empty cell read as a missing value.
      const rows = o.json === true ? list : list.map((a) => ({ ...a, lastSeenAt: a.lastSeenAt ?? t('(chưa lần nào)', '(never)') }));
      printRows(io, langOf(command), o.json === true, rows as unknown as Record<string, unknown>[], ['id', 'siteCode', 'name', 'status', 'lastSeenAt', 'createdAt']);
    });
  agents
    .command('approve <id>')
    .description('let a pending agent sync')
    .action(async (id: string, _o: unknown, command: Command) => {
      const agent = await withAdmin(command, (admin) => admin.approveAgent(id));
      io.out(`${agentStatus(speaker(command), agent)}\n`);
    });
  agents
    .command('revoke <id>')
    .description('refuse every further request of an agent')
    .action(async (id: string, _o: unknown, command: Command) => {
      const agent = await withAdmin(command, (admin) => admin.revokeAgent(id));
      const t = speaker(command);
      // What follows, and the way back: a revoked agent cannot be approved again.
      const next = t(
        `; mọi yêu cầu tiếp theo của nó bị từ chối, các thay đổi của nó chờ trong hàng đợi gửi trên máy đó. Để đơn vị đồng bộ lại: ` +
          `national-platform tokens create --site ${agent.siteCode}, rồi edge-agent enroll --token … trên máy của đơn vị (một mã tác tử mới)`,
        `; every further request of it is refused, its changes wait in that computer's outbox. To let the office sync again: ` +
          `national-platform tokens create --site ${agent.siteCode}, then edge-agent enroll --token … on the office's computer (a new agent id)`,
      );
      io.out(`${agentStatus(t, agent)}${next}\n`);
    });
}

/** "agent … is active": the status word stays as stored (agents list shows the same), said in the sentence's language. */
function agentStatus(t: Speak, agent: { id: string; siteCode: string; status: string }): string {
  const vi = AGENT_STATUS_VI[agent.status];
  return t(`tác tử ${agent.id} (${agent.siteCode}): ${vi ? `${vi} (${agent.status})` : agent.status}`, `agent ${agent.id} (${agent.siteCode}) is ${agent.status}`);
}

const AGENT_STATUS_VI: Record<string, string> = {
  active: 'được đồng bộ',
  pending: 'đang chờ duyệt',
  revoked: 'đã bị thu hồi quyền',
};
