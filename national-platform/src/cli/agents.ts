import type { Command } from 'commander';
import { parseDuration, printRows, withAdmin, type CliIo } from './context.js';

export function tokensCommand(program: Command, io: CliIo): void {
  program
    .command('tokens')
    .description('one-time enrollment tokens')
    .command('create')
    .description('issue a token for a site (printed once; only its hash is stored)')
    .requiredOption('--site <code>', 'the site the agent will belong to')
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 24h, 7d', '24h')
    .option('--json', 'print JSON')
    .action(async (o: { site: string; ttl: string; json?: boolean }, command: Command) => {
      const ttlSeconds = parseDuration(o.ttl);
      const token = await withAdmin(command, (admin) => admin.createToken({ site: o.site, ttlSeconds }));
      io.out(o.json ? `${JSON.stringify({ site: o.site, token, ttlSeconds })}\n` : `${token}\n`);
    });
}

export function agentsCommand(program: Command, io: CliIo): void {
  const agents = program.command('agents').description('enrolled agents');
  agents
    .command('list')
    .description('list agents')
    .option('--site <code>', 'only this site')
    .option('--json', 'print JSON')
    .action(async (o: { site?: string; json?: boolean }, command: Command) => {
      const list = await withAdmin(command, async (admin) => {
        // A mistyped site code listed "(none)", as if the site had no agents.
        if (o.site !== undefined) await admin.getSite(o.site);
        return admin.listAgents(o.site !== undefined ? { site: o.site } : {});
      });
      printRows(io, o.json === true, list as unknown as Record<string, unknown>[], ['id', 'siteCode', 'name', 'status', 'createdAt']);
    });
  agents
    .command('approve <id>')
    .description('let a pending agent sync')
    .action(async (id: string, _o: unknown, command: Command) => {
      const agent = await withAdmin(command, (admin) => admin.approveAgent(id));
      io.out(`agent ${agent.id} (${agent.siteCode}) is ${agent.status}\n`);
    });
  agents
    .command('revoke <id>')
    .description('refuse every further request of an agent')
    .action(async (id: string, _o: unknown, command: Command) => {
      const agent = await withAdmin(command, (admin) => admin.revokeAgent(id));
      io.out(`agent ${agent.id} (${agent.siteCode}) is ${agent.status}\n`);
    });
}
