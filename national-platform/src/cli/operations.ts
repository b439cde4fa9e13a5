import type { Command } from 'commander';
import type { PlatformStatus } from '../services/admin.js';
import { DEFAULT_MAINTENANCE_RETRY_AFTER } from '../services/maintenance.js';
import { REV_GAP } from '../services/rev-gap.js';
import { CliError, withAdmin, type CliIo } from './context.js';

export function operationsCommands(program: Command, io: CliIo): void {
  program
    .command('seed')
    .description('load demo data: every administrative unit, sample records in three provinces, demo sites')
    .requiredOption('--demo', 'the demo data set (the only one)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const summary = await withAdmin(command, (admin) => admin.seedDemo(), { create: true });
      if (o.json) io.out(`${JSON.stringify(summary)}\n`);
      else {
        const counts = Object.entries(summary.records).map(([d, n]) => `${n} ${d}`);
        io.out(`seeded ${counts.length > 0 ? counts.join(', ') : 'no records (already present)'}; sites added: ${summary.sites.join(', ') || 'none'}\n`);
      }
    });
  program
    .command('maintenance <state>')
    .description('switch maintenance on or off (agents get 503 with Retry-After; health still answers)')
    .option('--retry-after <seconds>', 'what agents are told to wait', String(DEFAULT_MAINTENANCE_RETRY_AFTER))
    .action(async (state: string, o: { retryAfter: string }, command: Command) => {
      if (state !== 'on' && state !== 'off') throw new CliError('say "maintenance on" or "maintenance off"');
      const retry = Number(o.retryAfter);
      if (!Number.isFinite(retry) || retry < 1) throw new CliError('--retry-after must be a number of seconds >= 1');
      const result = await withAdmin(command, (admin) => admin.setMaintenance(state === 'on', retry));
      io.out(result.on ? `maintenance is on (agents retry after ${result.retryAfterSeconds} s)\n` : 'maintenance is off\n');
    });
  program
    .command('purge')
    .description('forget tombstones older than the retention; agents behind it resync')
    .requiredOption('--older-than <days>', 'retention in days')
    .option('--json', 'print JSON')
    .action(async (o: { olderThan: string; json?: boolean }, command: Command) => {
      const days = Number(o.olderThan);
      if (!Number.isFinite(days) || days < 0) throw new CliError('--older-than must be a number of days >= 0');
      const out = await withAdmin(command, (admin) => admin.purgeTombstones(days * 86_400));
      io.out(o.json ? `${JSON.stringify(out)}\n` : `purged ${out.purgedTombstones} tombstones; purge horizon is seq ${out.purgeHorizonSeq}\n`);
    });
  program
    .command('epoch')
    .description('cursor epochs: "epoch new" after restoring the database from a backup')
    .command('new')
    .description(
      'start a new epoch: every pull cursor issued before is answered resync_required, and each agent pulls its datasets again; the next change of each record written before it skips revs, so no rev the lost history gave out is given again (a required step of a restore)',
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const out = await withAdmin(command, (admin) => admin.newEpoch());
      io.out(
        o.json
          ? `${JSON.stringify(out)}\n`
          : `epoch ${out.epoch} started at head seq ${out.headSeq} (was ${out.previousEpoch}): every agent pulls its datasets again at its next sync, ` +
            `and the next change of each record written before it skips ${out.revGap.toLocaleString('en-US')} revs; ` +
            (out.headAt
              ? `head time ${out.headAt} (the newest change held): agents create again the records they wrote after it\n`
              : 'head time not known (no records held): agents create none of their records again\n'),
      );
    });
  program
    .command('status')
    .description('head seq, epoch, purge horizon, maintenance state, and the epochs begun by "epoch new" with the current one\'s head time')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const s = await withAdmin(command, (admin) => admin.status());
      io.out(o.json ? `${JSON.stringify(s)}\n` : statusText(s));
    });
}

/** `status` for a person: the state line, then what the epochs begun since the platform was made mean for agents. */
function statusText(s: PlatformStatus): string {
  const lines = [`head seq ${s.headSeq}, epoch ${s.epoch}, purge horizon ${s.purgeHorizonSeq}, maintenance ${s.maintenance.on ? 'on' : 'off'}`];
  const heads = s.epochHeadSeqs;
  if (heads.length === 0) {
    lines.push('epochs begun by "epoch new": none on this database (the current epoch is the one it was made with)');
  } else {
    lines.push(
      `epochs begun by "epoch new" (or by serve, finding the database went back): ${heads.length}, at head seq ${heads.join(', ')}; ` +
        `the next change of a record last changed at or before one skips ${REV_GAP.toLocaleString('en-US')} revs for each`,
    );
    lines.push(
      s.epochHeadAt
        ? `current epoch's head time: ${s.epochHeadAt}, the newest change the platform held when it began; agents create again the records they wrote after it`
        : "current epoch's head time: not known (the platform held no records when it began, or it began before this build kept the time); agents create none of their records again",
    );
  }
  return `${lines.join('\n')}\n`;
}
