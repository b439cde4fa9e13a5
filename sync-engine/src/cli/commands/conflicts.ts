import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CommandOutput } from '../../api/contract.js';
import type { ConflictView } from '../../api/views.js';
import { call, CommandFailed, withSession, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { dateTime, show, table, type Printer } from '../output.js';
import { parseCount, readJsonFile, stateText } from './records.js';
import { filterInput, parseSide, registerConflictBulkCommand, withConflictFilter, type ConflictFilterOptions } from './conflicts-bulk.js';

type Side = 'local' | 'national';

/** `conflicts list|show|resolve|take-matching`: settling what sync could not merge by itself (take-matching: conflicts-bulk.ts). */
export function registerConflictCommands(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  const conflicts = program.command('conflicts').description('changes made both here and nationally that a person must settle');

  withConflictFilter(conflicts.command('list').description('open conflicts (or --resolved ones)'))
    .option('--resolved', 'list settled conflicts instead')
    .option('--limit <n>', 'at most this many (default 100)', parseCount, 100)
    .option('--offset <n>', 'skip this many', parseCount, 0)
    .action(async (opts: ConflictFilterOptions & { resolved?: boolean; limit: number; offset: number }) => {
      done(
        await withSession(globals(), env, async (s) => {
          const page = await call(s, 'conflicts.list', {
            status: opts.resolved ? 'resolved' : 'open',
            limit: Math.max(1, Math.min(1000, opts.limit)),
            offset: opts.offset,
            ...filterInput(opts),
          });
          const p = s.printer;
          // Settled ones also say when, by whom and which choice, as the window's list of them does.
          const settledHeader = opts.resolved ? [p.t('Giải quyết lúc', 'Settled at'), p.t('Người giải quyết', 'Settled by'), p.t('Đã chọn', 'Choice')] : [];
          const filtered = Object.keys(filterInput(opts)).length > 0;
          s.printer.result(page, () =>
            page.total === 0
              ? filtered
                ? p.t('Không có xung đột nào khớp bộ lọc.', 'No conflict matches the filter.')
                : p.t('Không có xung đột nào.', 'There are no conflicts.')
              : [
                  table(
                    ['id', p.t('Loại', 'Kind'), p.t('Bộ dữ liệu', 'Dataset'), p.t('Bản ghi', 'Record'), p.t('Tiêu đề', 'Title'), p.t('Trường', 'Fields'), ...settledHeader],
                    page.items.map((c) => [
                      c.id,
                      c.restored ? `${kindText(p, c.kind)}; ${p.t('nền tảng đã khôi phục', 'platform restored')}` : kindText(p, c.kind),
                      c.dataset,
                      c.recordId,
                      c.title ?? '—',
                      c.fields.filter((f) => f.auto === null).map((f) => f.field).join(', '),
                      ...(opts.resolved ? settledCells(p, c) : []),
                    ]),
                  ),
                  // A conflict that arose from a platform restore: its national side may be older than this office's.
                  ...(page.items.some((c) => c.restored)
                    ? [
                        p.t(
                          '"Nền tảng đã khôi phục": nền tảng quốc gia đã được khôi phục từ bản sao lưu, nên bên quốc gia có thể cũ hơn bên đơn vị này; xem chi tiết trước khi chọn.',
                          '"Platform restored": the national platform was restored from a backup, so the national side may be older than this office\'s; see the details before you choose.',
                        ),
                      ]
                    : []),
                  p.t(`Xem chi tiết: ${p.agent} conflicts show <id>`, `Details: ${p.agent} conflicts show <id>`),
                ],
          );
          return EXIT.ok;
        }),
      );
    });

  conflicts
    .command('show')
    .description('one conflict, field by field: base, this office, national')
    .argument('<id>')
    .action(async (id: string) => {
      done(
        await withSession(globals(), env, async (s) => {
          const conflict = await call(s, 'conflicts.get', { id });
          if (!conflict) throw new CommandFailed({ code: 'not_found', messages: { vi: `Không có xung đột ${id}.`, en: `There is no conflict ${id}.` } });
          s.printer.result(conflict, () => conflictText(s.printer, conflict));
          return EXIT.ok;
        }),
      );
    });

  conflicts
    .command('resolve')
    .description('settle a conflict: --take a side, --field per field, or --file with the merged record')
    .argument('<id>')
    .option('--take <side>', 'local or national: that side on each conflicting field (a change only one side made is kept)', parseSide)
    .option('--field <name=side>', 'per field: NAME=local or NAME=national (repeatable)', collectField)
    .option('--file <merged.json>', 'a JSON object with the values to keep (fields not in it keep the automatic result)')
    .option('--duplicate <choice>', 'for a possible duplicate: keep-both (two people; --file gives the corrected unique values) or discard-local (the same person)', parseDuplicate)
    .action(async (id: string, opts: { take?: Side; field?: Record<string, Side>; file?: string; duplicate?: 'keep-both' | 'discard-local' }) => {
      done(
        await withSession(globals(), env, async (s) => {
          const values = opts.file ? readJsonFile(opts.file) : undefined;
          const hasFields = opts.field !== undefined && Object.keys(opts.field).length > 0;
          if (!opts.take && !hasFields && !values && !opts.duplicate) {
            throw new CommandFailed({
              code: 'invalid_input',
              messages: {
                vi: 'Hãy chọn --take local|national, --field TÊN=local|national, --file TỆP.json hoặc --duplicate.',
                en: 'Choose --take local|national, --field NAME=local|national, --file MERGED.json or --duplicate.',
              },
            });
          }
          const result = await call(s, 'conflicts.resolve', {
            id,
            ...(opts.take ? { take: opts.take } : {}),
            ...(hasFields ? { fields: opts.field } : {}),
            ...(values ? { values } : {}),
            ...(opts.duplicate ? { duplicate: opts.duplicate } : {}),
          });
          s.printer.result(result, () => settledText(s.printer, result));
          return EXIT.ok;
        }),
      );
    });

  registerConflictBulkCommand(conflicts, env, globals, done);
}

/** What settling did, as it is: a change that goes up, the national version kept, or the record off this computer (nothing sent). */
function settledText(p: Printer, result: CommandOutput<'conflicts.resolve'>): string {
  if (result.recordState === null) {
    return p.t(
      `Đã giải quyết xung đột ${result.id}. Không có gì được gửi lên; bản ghi không còn trên máy này.`,
      `Conflict ${result.id} settled. Nothing is sent; the record is no longer on this computer.`,
    );
  }
  const state = stateText(p, result.recordState);
  if (result.sent) {
    return p.t(
      `Đã giải quyết xung đột ${result.id}; bản ghi: ${state}. Thay đổi sẽ được gửi ở lần đồng bộ tới.`,
      `Conflict ${result.id} settled; the record is ${state}. The change goes up at the next sync.`,
    );
  }
  return p.t(
    `Đã giải quyết xung đột ${result.id}; bản ghi giữ bản quốc gia (${state}). Không có gì cần gửi lên.`,
    `Conflict ${result.id} settled; the record keeps the national version (${state}). Nothing needs to go up.`,
  );
}

const KINDS: Record<ConflictView['kind'], [string, string]> = {
  fields: ['sửa ở cả hai bên', 'same field changed'],
  'delete-vs-edit': ['một bên xóa, một bên sửa', 'delete against edit'],
  'create-collision': ['tạo ở cả hai bên', 'created twice'],
  'possible-duplicate': ['có thể trùng người', 'possible duplicate'],
};

function kindText(p: Printer, kind: ConflictView['kind']): string {
  const [vi, en] = KINDS[kind];
  return p.t(vi, en);
}

const CHOICES: Record<NonNullable<ConflictView['settled']>['choice'], [string, string]> = {
  local: ['giữ bên đơn vị này', "this office's side kept"],
  national: ['giữ bên quốc gia', 'national side kept'],
  fields: ['chọn từng trường', 'chosen field by field'],
  edit: ['hai người khác nhau: sửa lại rồi gửi lại', 'two different people: corrected and sent again'],
  'discard-local': ['cùng một người: bỏ bản ghi của đơn vị này', "the same person: this office's record dropped"],
  auto: ['hai bên đã khớp nhau khi đồng bộ', 'both sides came to agree at a sync'],
};

/** When a settled conflict was settled, by whom (nobody: by itself at a sync) and which choice. */
function settledCells(p: Printer, c: ConflictView): string[] {
  if (!c.settled) return ['—', '—', '—'];
  const [vi, en] = CHOICES[c.settled.choice];
  return [dateTime(c.settled.at), c.settled.by ?? p.t('tự giải quyết khi đồng bộ', 'settled by itself at a sync'), p.t(vi, en)];
}

function conflictText(p: Printer, c: ConflictView): string[] {
  const state = c.status === 'open' ? p.t('đang chờ', 'open') : p.t('đã giải quyết', 'settled');
  const lines = [`${c.id} — ${kindText(p, c.kind)} — ${c.dataset}/${c.recordId}${c.title ? ` (${c.title})` : ''} — ${state}`];
  if (c.settled) {
    const [at, by, choice] = settledCells(p, c);
    lines.push(p.t(`Đã giải quyết lúc ${at}, người giải quyết: ${by}, đã chọn: ${choice}.`, `Settled at ${at} by ${by}: ${choice}.`));
  }
  if (c.localDeleted) lines.push(p.t('Đơn vị này đã xóa bản ghi.', 'This office deleted the record.'));
  if (c.nationalDeleted) lines.push(p.t('Nền tảng quốc gia đã xóa bản ghi.', 'The national platform deleted the record.'));
  if (c.existing) lines.push(p.t(`Bản ghi đã có trên nền tảng: ${c.existing.id}`, `Record already on the platform: ${c.existing.id}`));
  if (c.leftScope) {
    lines.push(
      p.t(
        'Bản ghi không còn thuộc phạm vi của đơn vị này (ở cấp quốc gia, bản ghi đã được chuyển sang nơi khác): lấy bản quốc gia (--take national) thì bản ghi không còn trên máy này; không giữ được thay đổi của đơn vị (--take local, --field, --file bị từ chối), vì nền tảng quốc gia không nhận.',
        "The record is no longer in this office's scope (it was moved elsewhere on the national platform): taking the national version (--take national) takes it off this computer; this office's change cannot be kept (--take local, --field, --file are refused), as the national platform does not accept it.",
      ),
    );
  }
  if (c.restored) lines.push(restoredText(p, c.restored));
  if (c.baseUnknown) lines.push(baseUnknownText(p, c.baseUnknown));
  // An unknown base is said in words: "—" is a field that was blank.
  const base = (value: unknown) => (c.baseKnown ? show(value) : p.t('không rõ', 'unknown'));
  const national = c.restored ? p.t('Quốc gia (sau khôi phục)', 'National (after the restore)') : p.t('Quốc gia', 'National');
  lines.push(
    table(
      [p.t('Trường', 'Field'), p.t('Gốc', 'Base'), p.t('Đơn vị', 'Local'), national, p.t('Tự động', 'Auto')],
      c.fields.map((f) => [`${f.title[p.lang]} (${f.field})`, base(f.base), show(f.local), show(f.national), f.auto ?? '']),
      40,
    ),
  );
  // A settled conflict is only shown: the commands that settle it would be refused.
  if (c.status === 'open') lines.push(...settleHints(p, c));
  return lines;
}

/**
 * A conflict that arose from a restore of the national platform from an older backup (ConflictView `restored`):
 * its national side may be OLDER than this office's, as the window's conflict screen says.
 */
function restoredText(p: Printer, restored: NonNullable<ConflictView['restored']>): string {
  if (restored.headAt === null) {
    return p.t(
      'Nền tảng quốc gia đã được khôi phục từ một bản sao lưu cũ hơn, và thay đổi đơn vị này gửi sau lúc sao lưu đã bị mất trên nền tảng. Vì vậy giá trị ở cột Quốc gia có thể cũ hơn giá trị của đơn vị này. Hãy đối chiếu với giấy tờ trước khi chọn.',
      "The national platform was restored from an older backup, and the changes this office sent after the backup were lost there. So the National value may be older than this office's. Check against the papers before you choose.",
    );
  }
  const at = dateTime(restored.headAt);
  return p.t(
    `Nền tảng quốc gia đã được khôi phục từ bản sao lưu: dữ liệu trên nền tảng quay về như lúc ${at}, và thay đổi đơn vị này gửi sau lúc đó đã bị mất trên nền tảng. Vì vậy giá trị ở cột Quốc gia có thể cũ hơn giá trị của đơn vị này. Hãy đối chiếu với giấy tờ trước khi chọn.`,
    `The national platform was restored from a backup: its data went back to how it was at ${at}, and the changes this office sent after that were lost there. So the National value may be older than this office's. Check against the papers before you choose.`,
  );
}

/** Why the version both sides started from is unknown (ConflictView `baseUnknown`), as the window's conflict screen says. */
function baseUnknownText(p: Printer, why: NonNullable<ConflictView['baseUnknown']>): string {
  if (why === 'created') {
    return p.t(
      'Không rõ giá trị ban đầu vì chưa từng có phiên bản nào trước đó: đơn vị này và cấp quốc gia đã tạo bản ghi này riêng rẽ.',
      'The original value is unknown because there never was an earlier version: this office and the national platform created this record separately.',
    );
  }
  return p.t(
    'Không rõ giá trị ban đầu: phiên bản mà hai bên cùng bắt đầu sửa đã bị mất khi nền tảng quốc gia được khôi phục, nên không biết bên nào đã thay đổi gì. Vì vậy mọi chỗ khác nhau đều phải do một người chọn.',
    'The original value is unknown: the version both sides started from was lost when the national platform was restored, so nothing tells which side changed what. Every difference must therefore be chosen by a person.',
  );
}

/** The commands that settle this kind of conflict; a possible duplicate is settled by saying whether the two are one person. */
function settleHints(p: Printer, c: ConflictView): string[] {
  const resolve = `${p.agent} conflicts resolve ${c.id}`;
  // Out of the office's scope only the national side can be kept (a possible duplicate: drop this office's record).
  if (c.leftScope) {
    const national = `${resolve} ${c.kind === 'possible-duplicate' ? '--duplicate discard-local' : '--take national'}`;
    return [p.t(`Cách giải quyết: ${national}`, `Settle: ${national}`)];
  }
  if (c.kind !== 'possible-duplicate') return [p.t(`Cách giải quyết: ${resolve} --take local|national`, `Settle: ${resolve} --take local|national`)];
  return [
    p.t('Cách giải quyết:', 'Settle:'),
    p.t(`  cùng một người (bỏ bản ghi của đơn vị này):  ${resolve} --duplicate discard-local`, `  the same person (drop this office's record):  ${resolve} --duplicate discard-local`),
    p.t(
      `  hai người khác nhau (giá trị đã sửa theo giấy tờ trong TỆP.json):  ${resolve} --duplicate keep-both --file TỆP.json`,
      `  two different people (the values corrected from the papers in FILE.json):  ${resolve} --duplicate keep-both --file FILE.json`,
    ),
    p.t(
      `  gửi lại như cũ (bản ghi kia sai và đơn vị của nó đã sửa):  ${resolve} --take local`,
      `  send again as it is (the other record was wrong and its office corrected it):  ${resolve} --take local`,
    ),
  ];
}

function parseDuplicate(value: string): 'keep-both' | 'discard-local' {
  if (value !== 'keep-both' && value !== 'discard-local') throw new InvalidArgumentError('expected keep-both or discard-local');
  return value;
}

/** One --field NAME=side more (no default: commander would show an empty object's as "(default: {})" in the help). */
function collectField(value: string, previous: Record<string, Side> | undefined): Record<string, Side> {
  const eq = value.lastIndexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected NAME=local or NAME=national');
  return { ...previous, [value.slice(0, eq)]: parseSide(value.slice(eq + 1)) };
}
