import type { Command } from 'commander';
import type { PlatformStatus } from '../services/admin.js';
import { DEFAULT_MAINTENANCE_RETRY_AFTER } from '../services/maintenance.js';
import { REV_GAP } from '../services/rev-gap.js';
import { dateTime } from './date-time.js';
import { CliError, withAdmin, type CliIo } from './context.js';
import { askConsent, withConsentOptions } from './consent.js';
import { epochImpactText, purgeImpactText } from './impact-text.js';
import { nounOf, speaker, type Speak } from './language.js';

/** The flags withConsentOptions adds. */
interface ConsentFlags {
  dryRun?: boolean;
  yes?: boolean;
}

/** The line --dry-run ends with. */
const DRY_RUN = (t: Speak) => t('(--dry-run: không có gì bị thay đổi)', '(--dry-run: nothing was changed)');

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
        const t = speaker(command);
        const counts = Object.entries(summary.records).map(([d, n]) => `${n} ${d}`);
        const records = counts.length > 0 ? counts.join(', ') : t('không có bản ghi nào (đã có sẵn)', 'no records (already present)');
        const sites = summary.sites.join(', ') || t('không có', 'none');
        io.out(`${t(`đã nạp ${records}; đơn vị đã thêm: ${sites}`, `seeded ${records}; sites added: ${sites}`)}\n`);
      }
    });
  program
    .command('maintenance <state>')
    .description('switch maintenance on or off (agents get 503 with Retry-After; health still answers)')
    .option('--retry-after <seconds>', 'what agents are told to wait', String(DEFAULT_MAINTENANCE_RETRY_AFTER))
    .action(async (state: string, o: { retryAfter: string }, command: Command) => {
      if (state !== 'on' && state !== 'off') throw new CliError({ vi: 'hãy ghi "maintenance on" hoặc "maintenance off"', en: 'say "maintenance on" or "maintenance off"' });
      const retry = Number(o.retryAfter);
      if (!Number.isFinite(retry) || retry < 1) throw new CliError({ vi: '--retry-after phải là một số giây >= 1', en: '--retry-after must be a number of seconds >= 1' });
      const result = await withAdmin(command, (admin) => admin.setMaintenance(state === 'on', retry));
      const t = speaker(command);
      io.out(
        `${
          result.on
            ? t(`đã bật chế độ bảo trì (tác tử thử lại sau ${result.retryAfterSeconds} giây)`, `maintenance is on (agents retry after ${result.retryAfterSeconds} s)`)
            : t('đã tắt chế độ bảo trì', 'maintenance is off')
        }\n`,
      );
    });
  withConsentOptions(
    program
      .command('purge')
      .description('forget tombstones older than the retention; agents behind it resync (it says how many and asks first: --yes in scripts)')
      .requiredOption('--older-than <days>', 'retention in days'),
  )
    .option('--json', 'print JSON')
    .action(async (o: { olderThan: string; json?: boolean } & ConsentFlags, command: Command) => {
      const days = Number(o.olderThan);
      if (!Number.isFinite(days) || days < 0) throw new CliError({ vi: '--older-than phải là một số ngày >= 0', en: '--older-than must be a number of days >= 0' });
      const t = speaker(command);
      const out = await withAdmin(command, async (admin) => {
        // One instant for what is said and what is done: deletions made while the operator reads are not forgotten.
        const at = new Date();
        const impact = await admin.purgeImpact(days * 86_400, at);
        if (o.dryRun) return { dryRun: impact };
        // Forgetting nothing sends no agent back: on a terminal it runs without asking. A script is refused
        // without --yes all the same, so a scheduled purge fails on its first run, not on its first busy week.
        if (impact.tombstones > 0 || !io.terminal) await askConsent(io, t, o.yes, { summary: purgeImpactText(t, o.olderThan, impact), word: 'purge' });
        return { done: await admin.purgeTombstones(days * 86_400, at) };
      });
      if (out.dryRun) {
        io.out(o.json ? `${JSON.stringify(out.dryRun)}\n` : `${purgeImpactText(t, o.olderThan, out.dryRun)}\n${DRY_RUN(t)}\n`);
        return;
      }
      io.out(
        o.json
          ? `${JSON.stringify(out.done)}\n`
          : `${t(
              `đã xóa hẳn ${out.done.purgedTombstones} dấu xóa (tombstone); mốc đã xóa hẳn là seq ${out.done.purgeHorizonSeq}`,
              `purged ${out.done.purgedTombstones} ${nounOf(out.done.purgedTombstones, 'tombstone')}; purge horizon is seq ${out.done.purgeHorizonSeq}`,
            )}\n`,
      );
    });
  const epoch = program.command('epoch').description('cursor epochs: "epoch new" after restoring the database from a backup');
  withConsentOptions(
    epoch
      .command('new')
      .description(
        'start a new epoch: every pull cursor issued before is answered resync_required, and each agent pulls its datasets again; the next change of each record written before it skips revs, so no rev the lost history gave out is given again (a required step of a restore; it says what it touches and asks first: --yes in scripts)',
      ),
  )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean } & ConsentFlags, command: Command) => {
      const t = speaker(command);
      const result = await withAdmin(command, async (admin) => {
        const impact = await admin.epochImpact();
        if (o.dryRun) return { dryRun: impact };
        await askConsent(io, t, o.yes, { summary: epochImpactText(t, impact), word: 'epoch new' });
        return { done: await admin.newEpoch() };
      });
      if (result.dryRun) {
        io.out(o.json ? `${JSON.stringify(result.dryRun)}\n` : `${epochImpactText(t, result.dryRun)}\n${DRY_RUN(t)}\n`);
        return;
      }
      const out = result.done;
      if (o.json) {
        io.out(`${JSON.stringify(out)}\n`);
        return;
      }
      const gap = out.revGap.toLocaleString(t('vi-VN', 'en-US'));
      io.out(
        t(
          `đã bắt đầu epoch ${out.epoch} tại head seq ${out.headSeq} (trước đó: ${out.previousEpoch}): mỗi tác tử tải lại các bộ dữ liệu của mình ở lần đồng bộ tới, ` +
            `và thay đổi tiếp theo của mỗi bản ghi ghi trước mốc này bỏ qua ${gap} rev; ` +
            (out.headAt
              ? `thời điểm head ${dateTime(out.headAt)} (thay đổi mới nhất đang có): tác tử tạo lại các bản ghi chúng đã ghi sau thời điểm đó\n`
              : 'không biết thời điểm head (chưa có bản ghi nào): tác tử không tạo lại bản ghi nào của mình\n'),
          `epoch ${out.epoch} started at head seq ${out.headSeq} (was ${out.previousEpoch}): every agent pulls its datasets again at its next sync, ` +
            `and the next change of each record written before it skips ${gap} revs; ` +
            (out.headAt
              ? `head time ${dateTime(out.headAt)} (the newest change held): agents create again the records they wrote after it\n`
              : 'head time not known (no records held): agents create none of their records again\n'),
        ),
      );
    });
  program
    .command('status')
    .description('head seq, epoch, purge horizon, maintenance state, and the epochs begun by "epoch new" with the current one\'s head time')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const s = await withAdmin(command, (admin) => admin.status());
      io.out(o.json ? `${JSON.stringify(s)}\n` : statusText(s, speaker(command)));
    });
}

/** `status` for a person: the state line, then what the epochs begun since the platform was made mean for agents. */
function statusText(s: PlatformStatus, t: Speak): string {
  const maintenance = s.maintenance.on ? t('bật', 'on') : t('tắt', 'off');
  const lines = [
    t(
      `head seq ${s.headSeq}, epoch ${s.epoch}, mốc đã xóa hẳn ${s.purgeHorizonSeq}, bảo trì ${maintenance}`,
      `head seq ${s.headSeq}, epoch ${s.epoch}, purge horizon ${s.purgeHorizonSeq}, maintenance ${maintenance}`,
    ),
  ];
  const heads = s.epochHeadSeqs;
  if (heads.length === 0) {
    lines.push(
      t(
        'epoch bắt đầu bằng "epoch new": chưa có trên cơ sở dữ liệu này (epoch hiện tại là epoch có từ khi tạo)',
        'epochs begun by "epoch new": none on this database (the current epoch is the one it was made with)',
      ),
    );
  } else {
    const gap = REV_GAP.toLocaleString(t('vi-VN', 'en-US'));
    lines.push(
      t(
        `epoch bắt đầu bằng "epoch new" (hoặc do serve, khi thấy cơ sở dữ liệu đã lùi lại): ${heads.length}, tại head seq ${heads.join(', ')}; ` +
          `thay đổi tiếp theo của một bản ghi thay đổi lần cuối tại hoặc trước một mốc đó bỏ qua ${gap} rev cho mỗi mốc`,
        `epochs begun by "epoch new" (or by serve, finding the database went back): ${heads.length}, at head seq ${heads.join(', ')}; ` +
          `the next change of a record last changed at or before one skips ${gap} revs for each`,
      ),
    );
    lines.push(
      s.epochHeadAt
        ? t(
            `thời điểm head của epoch hiện tại: ${dateTime(s.epochHeadAt)}, thay đổi mới nhất nền tảng có khi epoch bắt đầu; tác tử tạo lại các bản ghi chúng đã ghi sau thời điểm đó`,
            `current epoch's head time: ${dateTime(s.epochHeadAt)}, the newest change the platform held when it began; agents create again the records they wrote after it`,
          )
        : t(
            'thời điểm head của epoch hiện tại: không biết (nền tảng chưa có bản ghi nào khi epoch bắt đầu, hoặc epoch bắt đầu trước khi bản dựng này ghi lại thời điểm); tác tử không tạo lại bản ghi nào của mình',
            "current epoch's head time: not known (the platform held no records when it began, or it began before this build kept the time); agents create none of their records again",
          ),
    );
  }
  return `${lines.join('\n')}\n`;
}
