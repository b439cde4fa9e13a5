import type { Command } from 'commander';
import type { SyncRunDetail } from '../../api/sync-run-detail.js';
import type { SyncRunView } from '../../api/views.js';
import { call, CommandFailed, withSession, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { dateTime, table, type Printer } from '../output.js';
import { parseCount } from './records.js';
import { RUN_STATUS } from './sync.js';

/** The Sync history's words for what started a run (history.trigger in vi.json / en.json). */
const TRIGGER: Record<SyncRunView['trigger'], [string, string]> = {
  schedule: ['Theo lịch', 'Schedule'],
  manual: ['Bấm đồng bộ', 'Sync now button'],
  startup: ['Khi khởi động', 'Start-up'],
  retry: ['Thử lại', 'Retry'],
  watchdog: ['Tự kiểm tra', 'Watchdog'],
  cli: ['Dòng lệnh', 'Command line'],
};

/** The digest's words (digest in vi.json / en.json). */
const DIGEST: Record<SyncRunDetail['digests'][number]['status'], [string, string]> = {
  match: ['khớp', 'match'],
  mismatch: ['không khớp', 'mismatch'],
  pending: ['còn thay đổi chưa xử lý xong', 'changes not yet settled'],
};

/** `runs list` and `runs show`: the Sync history for local IT on a computer without the window. */
export function registerRunsCommands(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  const runs = program.command('runs').description('the sync history: each run, what moved, what went wrong');

  runs
    .command('list')
    .description('the sync runs, newest first; failed runs in a row for the same reason as one line')
    .option('--limit <n>', 'at most this many lines (1-500, default 20)', parseCount, 20)
    .option('--before <n>', 'only runs numbered below N (the next page)', parseCount)
    .option('--all', 'every run on its own line, failures in a row too')
    .action(async (opts: { limit: number; before?: number; all?: boolean }) => {
      done(
        await withSession(globals(), env, async (s) => {
          const limit = Math.max(1, Math.min(500, opts.limit));
          const items = await call(s, 'syncRuns.list', { limit, group: !opts.all, ...(opts.before ? { before: opts.before } : {}) });
          s.printer.result(items, () => runsText(s.printer, items, limit));
          return EXIT.ok;
        }),
      );
    });

  runs
    .command('show')
    .description("one run's details: every error, the digests, the datasets received again")
    .argument('<n>', 'the run number (runs list)', parseCount)
    .action(async (n: number) => {
      done(
        await withSession(globals(), env, async (s) => {
          const detail = await call(s, 'syncRuns.get', { id: Math.max(1, n) });
          if (!detail) {
            throw new CommandFailed({
              code: 'not_found',
              messages: { vi: `Không có lần đồng bộ số ${n} (lịch sử giữ 30 ngày).`, en: `There is no sync run number ${n} (the history keeps 30 days).` },
            });
          }
          s.printer.result(detail, () => detailText(s.printer, detail));
          return EXIT.ok;
        }),
      );
    });
}

function runsText(p: Printer, items: SyncRunView[], limit: number): string[] {
  if (items.length === 0) return [p.t('Chưa có lần đồng bộ nào.', 'No sync has run yet.')];
  const lines = [
    table(
      ['#', p.t('Bắt đầu', 'Started'), p.t('Cách bắt đầu', 'Started by'), p.t('Kết quả', 'Result'), p.t('Gửi lên', 'Sent'), p.t('Nhận về', 'Received'), p.t('Xung đột', 'Conflicts'), p.t('Bị từ chối', 'Rejected')],
      items.map((run) => [
        run.repeats ? `${run.repeats.firstId}-${run.id}` : String(run.id),
        dateTime(run.startedAt),
        p.t(...TRIGGER[run.trigger]),
        p.t(...RUN_STATUS[run.status]) + (run.repeats ? p.t(` ×${run.repeats.count}`, ` ×${run.repeats.count}`) : ''),
        String(run.pushed),
        String(run.pulled),
        String(run.conflicts),
        String(run.rejected),
      ]),
      40,
    ),
  ];
  for (const run of items.filter((r) => r.error !== null)) {
    const which = run.repeats
      ? p.t(
          `#${run.repeats.firstId}-${run.id} (${run.repeats.count} lần liên tiếp, từ ${dateTime(run.repeats.firstStartedAt)} đến ${dateTime(run.startedAt)})`,
          `#${run.repeats.firstId}-${run.id} (${run.repeats.count} in a row, from ${dateTime(run.repeats.firstStartedAt)} to ${dateTime(run.startedAt)})`,
        )
      : `#${run.id}`;
    lines.push(`${which}: ${run.error!.messages[p.lang]}`);
  }
  if (items.length === limit) {
    const oldest = items.at(-1)!;
    lines.push(p.t(`Các lần cũ hơn: ${p.agent} runs list --before ${oldest.repeats?.firstId ?? oldest.id}`, `Older runs: ${p.agent} runs list --before ${oldest.repeats?.firstId ?? oldest.id}`));
  }
  lines.push(p.t(`Chi tiết một lần: ${p.agent} runs show <số>`, `One run's details: ${p.agent} runs show <n>`));
  return lines;
}

function detailText(p: Printer, detail: SyncRunDetail): string[] {
  const { run } = detail;
  const lines = [
    `${p.t('Đồng bộ', 'Sync')} #${run.id}: ${p.t(...RUN_STATUS[run.status])} — ${dateTime(run.startedAt)}, ${p.t(...TRIGGER[run.trigger])}`,
    `  ${p.t('Gửi lên', 'Sent')}: ${run.pushed}   ${p.t('Nhận về', 'Received')}: ${run.pulled}   ${p.t('Xung đột', 'Conflicts')}: ${run.conflicts}   ${p.t('Bị từ chối', 'Rejected')}: ${run.rejected}`,
  ];
  if (detail.autoMerged > 0) lines.push(`  ${p.t(`Tự động gộp với thay đổi của quốc gia và gửi lại: ${detail.autoMerged}`, `Merged automatically with national changes and sent again: ${detail.autoMerged}`)}`);
  if (detail.resynced.length > 0) lines.push(`  ${p.t('Nhận lại toàn bộ từ đầu', 'Received again from the beginning')}: ${detail.resynced.join(', ')}`);
  if (detail.errors.length > 0) {
    lines.push(p.t('Lỗi gặp phải:', 'Errors met:'));
    for (const error of detail.errors) lines.push(`  - ${error.messages[p.lang]}`);
  }
  if (detail.digests.length > 0) {
    lines.push(p.t('Đối chiếu với nền tảng quốc gia sau lần đồng bộ:', 'Compared with the national platform after the sync:'));
    lines.push(
      table(
        [p.t('Bộ dữ liệu', 'Dataset'), p.t('Kết quả', 'Result'), p.t('Trên máy này', 'This computer'), p.t('Trên nền tảng', 'Platform')],
        detail.digests.map((d) => [d.dataset, p.t(...DIGEST[d.status]), d.localCount === null ? '—' : String(d.localCount), d.platformCount === null ? '—' : String(d.platformCount)]),
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  } else if (run.status !== 'running') {
    lines.push(
      p.t(
        'Lần này chưa đối chiếu bộ dữ liệu nào với nền tảng quốc gia: lần đồng bộ dừng trước, hoặc còn dữ liệu chưa nhận hết để lần sau nhận tiếp.',
        'This run compared no dataset with the national platform: it stopped first, or data was left to receive at the next run.',
      ),
    );
  }
  if (run.conflicts > 0) lines.push(p.t(`Xem xung đột: ${p.agent} conflicts list`, `See the conflicts: ${p.agent} conflicts list`));
  if (run.rejected > 0) lines.push(p.t(`Xem thay đổi bị từ chối: ${p.agent} outbox list --status quarantined`, `See the refused changes: ${p.agent} outbox list --status quarantined`));
  return lines;
}
