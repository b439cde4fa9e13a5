import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { call, withSession, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output.js';
import { OUTBOX_STATUSES, type OutboxStatus } from '../../outbox/outbox-entries.js';
import { parseCount } from './records.js';

/** An entry's operation and state in the Outbox screen's words (outbox.op, outbox.status in vi.json / en.json); --status takes the codes. */
const OP: Record<'upsert' | 'delete', [string, string]> = { upsert: ['Thêm hoặc sửa', 'Add or edit'], delete: ['Xóa', 'Delete'] };
const STATUS: Record<OutboxStatus, [string, string]> = { queued: ['Chờ gửi', 'Waiting'], in_flight: ['Đang gửi', 'Sending'], quarantined: ['Bị giữ lại', 'Held back'] };

/** `outbox list|retry|discard` and `audit verify`. */
export function registerOutboxCommands(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  const outbox = program.command('outbox').description('local changes waiting to be sent, and those the platform refused');

  outbox
    .command('list')
    .description('what waits to go up, what failed and why')
    .option('--status <status>', 'only queued, in_flight or quarantined entries', parseOutboxStatus)
    .option('--dataset <name>', 'only entries of this dataset')
    .option('--limit <n>', 'at most this many (default 100)', parseCount, 100)
    .option('--offset <n>', 'skip this many', parseCount, 0)
    .action(async (opts: { status?: OutboxStatus; dataset?: string; limit: number; offset: number }) => {
      done(
        await withSession(globals(), env, async (s) => {
          const page = await call(s, 'outbox.list', {
            ...(opts.status ? { status: opts.status } : {}),
            ...(opts.dataset ? { dataset: opts.dataset } : {}),
            limit: Math.max(1, Math.min(1000, opts.limit)),
            offset: opts.offset,
          });
          const p = s.printer;
          s.printer.result(page, () => {
            if (page.total === 0 && (opts.status || opts.dataset)) return p.t('Không có mục nào khớp bộ lọc.', 'No entry matches the filter.');
            if (page.total === 0) return p.t('Hàng đợi trống: mọi thay đổi đã được gửi.', 'The outbox is empty: every change has been sent.');
            const lines = [
              table(
                ['seq', p.t('Bộ dữ liệu', 'Dataset'), p.t('Bản ghi', 'Record'), p.t('Thao tác', 'Operation'), p.t('Trạng thái', 'State'), p.t('Số lần thử', 'Attempts'), p.t('Tiêu đề', 'Title')],
                page.items.map((e) => [String(e.seq), e.dataset, e.recordId, p.t(...OP[e.op]), p.t(...STATUS[e.status]), String(e.attempts), e.title ?? '—']),
              ),
            ];
            for (const e of page.items.filter((i) => i.errors.length > 0)) {
              lines.push(`#${e.seq}: ${e.errors.map((x) => `${x.path} ${x.messages[p.lang]}`).join('; ')}`);
            }
            for (const e of page.items.filter((i) => i.leftScope && !i.notOnPlatform)) {
              lines.push(
                p.t(
                  `#${e.seq}: bản ghi không còn thuộc phạm vi của đơn vị này (đã chuyển sang nơi khác ở cấp quốc gia); nền tảng quốc gia không nhận thay đổi này, gửi lại cũng vậy.`,
                  `#${e.seq}: the record is no longer in this office's scope (it was moved elsewhere on the national platform); the platform does not accept this change, nor will it if sent again.`,
                ),
              );
            }
            for (const e of page.items.filter((i) => i.notOnPlatform)) {
              lines.push(
                p.t(
                  `#${e.seq}: nền tảng quốc gia không còn giữ bản ghi này; không nhận thay đổi này, gửi lại cũng vậy.`,
                  `#${e.seq}: the national platform no longer holds this record; it does not accept this change, nor will it if sent again.`,
                ),
              );
            }
            // Retrying (or editing) helps only where the platform may still accept the change.
            if (page.items.some((e) => e.status === 'quarantined' && !e.leftScope && !e.notOnPlatform)) {
              lines.push(p.t(`Sửa bản ghi rồi đồng bộ lại, hoặc: ${p.agent} outbox retry [seq]`, `Edit the record and sync again, or: ${p.agent} outbox retry [seq]`));
            }
            if (page.items.some((e) => e.status === 'quarantined')) {
              lines.push(
                p.t(
                  `Bỏ hẳn thay đổi bị giữ lại (bản ghi trở về bản quốc gia, hoặc không còn trên máy này nếu nền tảng không có nó): ${p.agent} outbox discard <seq>`,
                  `Give up a held-back change for good (the record goes back to the national version, or off this computer if the platform does not hold it): ${p.agent} outbox discard <seq>`,
                ),
              );
            }
            return lines;
          });
          return EXIT.ok;
        }),
      );
    });

  outbox
    .command('retry')
    .description('send refused changes again (one by its seq, or all)')
    .argument('[seq]', 'the entry’s seq number', parseSeq)
    .action(async (seq: number | undefined) => {
      done(
        await withSession(globals(), env, async (s) => {
          const result = await call(s, 'outbox.retry', seq === undefined ? {} : { seq });
          const p = s.printer;
          s.printer.result(result, () => [
            p.t(`Đã xếp lại ${result.retried} thay đổi để gửi ở lần đồng bộ tới.`, `${result.retried} change(s) queued again for the next sync.`),
            // Left held back: the platform would refuse them again; each says why and to discard it.
            ...result.kept.map((k) => `#${k.seq}: ${k.messages[p.lang]} ${p.agent} outbox discard ${k.seq}`),
          ]);
          // A change kept held back was refused again, as `outbox retry SEQ` of it is (exit 1).
          return result.kept.length > 0 ? EXIT.usage : EXIT.ok;
        }),
      );
    });

  outbox
    .command('discard')
    .description('give up a change the platform held back: the record goes back to the national version, or off this computer if the platform does not hold it or it left the scope (audited; cannot be undone)')
    .argument('<seq>', 'the held-back entry’s seq number (outbox list --status quarantined)', parseSeq)
    .action(async (seq: number) => {
      done(
        await withSession(globals(), env, async (s) => {
          const result = await call(s, 'outbox.discard', { seq });
          const p = s.printer;
          const record = `${result.dataset}/${result.recordId}`;
          s.printer.result(result, () => [
            p.t(`Đã bỏ ${result.discarded} thay đổi bị giữ lại của bản ghi ${record}.`, `Discarded ${result.discarded} held-back change(s) to record ${record}.`),
            result.recordState === null
              ? p.t('Bản ghi không còn trên máy này.', 'The record is no longer on this computer.')
              : result.recordState === 'conflict'
                ? p.t(`Xung đột của bản ghi vẫn chờ giải quyết: ${p.agent} conflicts list`, `The record's conflict still waits to be settled: ${p.agent} conflicts list`)
                : p.t('Bản ghi đã trở về bản quốc gia mà máy này nhận được lần gần nhất.', 'The record is back to the national version this computer last received.'),
          ]);
          return EXIT.ok;
        }),
      );
    });

  program
    .command('audit')
    .description('the tamper-evident audit log')
    .command('verify')
    .description('check the audit log’s hash chain from the first event to the last')
    .action(async () => {
      done(
        await withSession(globals(), env, async (s) => {
          const result = await call(s, 'audit.verify', {});
          s.printer.result(result, () =>
            result.ok
              ? s.printer.t(`Nhật ký kiểm toán toàn vẹn: ${result.events} sự kiện.`, `The audit log is intact: ${result.events} events.`)
              : s.printer.t(
                  `Nhật ký kiểm toán bị thay đổi tại sự kiện #${result.brokenAt} (đã kiểm tra ${result.events} sự kiện). Hãy báo ngay cho bộ phận CNTT.`,
                  `The audit log was altered at event #${result.brokenAt} (${result.events} events checked). Tell local IT.`,
                ),
          );
          return result.ok ? EXIT.ok : EXIT.other;
        }),
      );
    });
}

function parseSeq(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a seq number');
  return n;
}

function parseOutboxStatus(value: string): OutboxStatus {
  const status = OUTBOX_STATUSES.find((s) => s === value);
  if (!status) throw new InvalidArgumentError(`expected ${OUTBOX_STATUSES.join(', ')}`);
  return status;
}
