import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CurrentVersionView, RecordEventView, RecordHistoryView } from '../../api/record-history.js';
import type { DatasetView } from '../../api/views.js';
import { fieldOfPointer, fieldTitles } from '../../protocol/validation/field-titles.js';
import { call, withSession, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { dateTime, show, type Printer } from '../output.js';

/**
 * `records history DATASET ID`: who changed the record and when, from the audit log (records.history).
 * Reads only: a folder without an agent is refused as `records get` refuses it (withSession).
 * Field values are printed, as `records get` prints the record: to the folder's own user only.
 */
export function registerRecordHistory(records: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  records
    .command('history')
    .description('who changed a record and when, newest first, from the audit log')
    .argument('<dataset>')
    .argument('<id>')
    .option('--limit <n>', 'at most this many events (1-500, default 50)', parseWhole, 50)
    .option('--before <seq>', 'older events only: the seq the page before ended at', parseWhole)
    .action(async (dataset: string, id: string, opts: { limit: number; before?: number }) => {
      done(
        await withSession(globals(), env, async (s) => {
          const page = await call(s, 'records.history', { dataset, id, limit: opts.limit, ...(opts.before !== undefined ? { before: opts.before } : {}) });
          const p = s.printer;
          if (p.json) {
            p.result(page, () => '');
            return EXIT.ok;
          }
          const descriptor = (await call(s, 'datasets.list', {})).find((d) => d.name === dataset) ?? null;
          p.result(page, () => historyText(p, dataset, id, page, descriptor));
          return EXIT.ok;
        }),
      );
    });
}

function parseWhole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number from 1');
  return n;
}

function historyText(p: Printer, dataset: string, id: string, page: RecordHistoryView, descriptor: DatasetView | null): string[] {
  const current = page.current ? [currentText(p, page.current)] : [];
  if (page.items.length === 0) {
    return [...current, p.t(`Nhật ký kiểm toán không có thay đổi nào của bản ghi ${dataset}/${id}.`, `The audit log holds no change of record ${dataset}/${id}.`)];
  }
  const title = (field: string) => (descriptor ? `${fieldTitles(descriptor, field)[p.lang]} (${field})` : field);
  const lines = [...current, p.t(`Lịch sử thay đổi của bản ghi ${dataset}/${id}, mới nhất trước:`, `Change history of record ${dataset}/${id}, newest first:`)];
  for (const event of page.items) {
    lines.push(`${dateTime(event.at)}  ${actorText(p, event.actor)}  ${eventText(p, event)}`);
    for (const change of event.changes ?? []) lines.push(`    ${title(change.field)}: ${show(change.before)} → ${show(change.after)}`);
    if (event.fields && event.fields.length > 0) lines.push(`    ${p.t('Trường', 'Fields')}: ${event.fields.map(title).join(', ')}`);
    for (const error of event.errors ?? []) {
      const field = fieldOfPointer(error.path);
      lines.push(`    ! ${field ? title(field) : p.t('bản ghi', 'record')}: ${error.messages?.[p.lang] ?? error.code}`);
    }
  }
  lines.push(
    page.next === null
      ? p.t(`${page.items.length} sự kiện.`, `${page.items.length} event(s).`)
      : p.t(
          `${page.items.length} sự kiện gần nhất; còn sự kiện cũ hơn: ${p.command(`records history ${dataset} ${id} --before ${page.next}`)}`,
          `The ${page.items.length} newest event(s); older ones: ${p.command(`records history ${dataset} ${id} --before ${page.next}`)}`,
        ),
  );
  return lines;
}

/**
 * Whose the version this computer holds is: the national side's and other offices' changes come by
 * pull, which the audit log does not record per record, so the history below may not show them.
 */
export function currentText(p: Printer, current: CurrentVersionView): string {
  const by = current.by;
  const who =
    by.kind === 'national'
      ? p.t('nền tảng quốc gia', 'the national platform')
      : by.kind === 'this-office'
        ? p.t(`đơn vị này${by.user ? ` (${by.user})` : ''}`, `this office${by.user ? ` (${by.user})` : ''}`)
        : p.t(`đơn vị ${by.siteCode}${by.user ? ` (${by.user})` : ''}`, `office ${by.siteCode}${by.user ? ` (${by.user})` : ''}`);
  return p.t(`Phiên bản hiện có trên máy này: do ${who} ghi lúc ${dateTime(current.at)}.`, `The version on this computer: written by ${who} at ${dateTime(current.at)}.`);
}

/** Who, as recorded: a person's name; the engine itself ('sync'); nobody named ('local'). */
export function actorText(p: Printer, actor: string): string {
  if (actor === 'sync') return p.t('tác tử (khi đồng bộ)', 'the agent (at a sync)');
  if (actor === 'local') return p.t('không rõ người thao tác', 'person not recorded');
  return actor;
}

const CONFLICT_KINDS: Record<NonNullable<RecordEventView['reason']>, [string, string]> = {
  fields: ['sửa ở cả hai bên', 'same field changed'],
  'delete-vs-edit': ['một bên xóa, một bên sửa', 'delete against edit'],
  'create-collision': ['tạo ở cả hai bên', 'created twice'],
  'possible-duplicate': ['có thể trùng người', 'possible duplicate'],
};

const SETTLED: Record<NonNullable<RecordEventView['settled']>, [string, string]> = {
  national: ['giữ bên quốc gia', 'national side kept'],
  local: ['giữ bên đơn vị này', "this office's side kept"],
  fields: ['chọn từng trường', 'chosen field by field'],
  edited: ['nhập giá trị mới rồi gửi lại', 'values typed in and sent again'],
  dropped: ['cùng một người: bỏ bản ghi của đơn vị này', "the same person: this office's record dropped"],
};

/** What happened, in plain words. */
export function eventText(p: Printer, e: RecordEventView): string {
  const text = ((): string => {
    switch (e.kind) {
      case 'created':
        if (e.imported) {
          const { file, line } = e.imported;
          return file === null
            ? p.t(`Tạo bản ghi (nhập từ dòng ${line} của một tệp)`, `Created the record (imported from line ${line} of a file)`)
            : p.t(`Tạo bản ghi (nhập từ tệp ${file}, dòng ${line})`, `Created the record (imported from ${file}, line ${line})`);
        }
        return p.t('Tạo bản ghi', 'Created the record');
      case 'edited':
        return p.t('Sửa bản ghi', 'Edited the record');
      case 'undeleted':
        return p.t('Lưu lại bản ghi đã xóa', 'Saved the deleted record again');
      case 'deleted':
        return p.t('Xóa bản ghi', 'Deleted the record');
      case 'accepted':
        return e.op === 'delete'
          ? p.t('Nền tảng quốc gia đã nhận việc xóa', 'The national platform accepted the deletion')
          : p.t('Nền tảng quốc gia đã nhận thay đổi', 'The national platform accepted the change');
      case 'rejected':
        if (e.outcome === 'superseded') {
          return p.t('Nền tảng quốc gia từ chối thay đổi; thay đổi mới hơn được gửi thay', 'The national platform rejected the change; a newer change goes instead');
        }
        if (e.outcome === 'possible-duplicate') {
          return p.t('Nền tảng quốc gia từ chối thay đổi: có thể trùng người với một bản ghi khác', 'The national platform rejected the change: possibly the same person as another record');
        }
        return p.t('Nền tảng quốc gia từ chối thay đổi; thay đổi bị giữ lại', 'The national platform rejected the change; the change is held back');
      case 'resent':
        return p.t('Gửi lại sau khi nền tảng quốc gia được khôi phục từ bản sao lưu', 'Sent again after the national platform was restored from a backup');
      case 'merged':
        return p.t('Tự động kết hợp thay đổi của đơn vị này với bản quốc gia', "This office's change merged with the national version automatically");
      case 'national-taken':
        return p.t('Tự động nhận bản quốc gia', 'The national version taken automatically');
      case 'conflict-opened': {
        const [vi, en] = e.reason ? CONFLICT_KINDS[e.reason] : ['', ''];
        const kind = e.reason ? `: ${p.t(vi, en)}` : '';
        const restored = e.restored ? p.t(' (nền tảng đã khôi phục)', ' (platform restored)') : '';
        return e.refreshed
          ? p.t(`Xung đột có bản quốc gia mới hơn${kind}${restored}`, `Conflict with a newer national version${kind}${restored}`)
          : p.t(`Xung đột${kind}${restored}`, `Conflict${kind}${restored}`);
      }
      case 'conflict-settled': {
        if (!e.settled) return p.t('Giải quyết xung đột', 'Settled the conflict');
        const [vi, en] = SETTLED[e.settled];
        return p.t(`Giải quyết xung đột: ${vi}`, `Settled the conflict: ${en}`);
      }
      case 'retried':
        return p.t('Gửi lại thay đổi bị giữ lại', 'Sent the held-back change again');
      case 'discarded':
        return p.t('Bỏ thay đổi bị giữ lại', 'Discarded the held-back change');
      case 'other':
        return e.action;
    }
  })();
  return e.leftScope ? `${text}${p.t('; bản ghi đã ra ngoài phạm vi của đơn vị', "; the record left this office's scope")}` : text;
}
