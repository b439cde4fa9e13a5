import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CommandOutput } from '../../api/contract.js';
import type { ConflictView } from '../../api/views.js';
import { call, CommandFailed, withSession, type CliEnvironment, type GlobalOptions, type Session } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import type { Printer } from '../output.js';

type Side = 'local' | 'national';
type Kind = ConflictView['kind'];
const KIND_CODES: readonly Kind[] = ['fields', 'delete-vs-edit', 'create-collision', 'possible-duplicate'];

/** The filter of `conflicts list` and `conflicts take-matching`, as conflicts.list / conflicts.matching take it. */
export interface ConflictFilterOptions {
  dataset?: string;
  kind?: Kind;
  field?: string;
}

/** Adds --dataset, --kind and --field to a conflicts command. */
export function withConflictFilter(command: Command): Command {
  return command
    .option('--dataset <name>', 'only conflicts of this dataset')
    .option('--kind <kind>', `only conflicts of this kind: ${KIND_CODES.join(', ')}`, parseKind)
    .option('--field <name>', "with --dataset: only conflicts whose ONE conflicting field is this one (a take for them decides that field alone)");
}

/** The filter's part of an AgentApi input. */
export function filterInput(opts: ConflictFilterOptions): ConflictFilterOptions {
  return { ...(opts.dataset ? { dataset: opts.dataset } : {}), ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.field ? { field: opts.field } : {}) };
}

type Page = CommandOutput<'conflicts.resolveMatching'>;
type Totals = Omit<Page, 'next'>;

/**
 * `conflicts take-matching`: the window's "Chọn cả N xung đột khớp bộ lọc" at the command line. The agent
 * counts the conflicts first (conflicts.matching), which `--dry-run` only says; with `--yes` it settles them
 * a page at a time (conflicts.resolveMatching), none a newer national version changed after the count and
 * none opened since. A take cannot be undone, so without `--yes` nothing is settled.
 */
export function registerConflictBulkCommand(conflicts: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  withConflictFilter(
    conflicts
      .command('take-matching')
      .description("settle every open conflict the filter holds by keeping one side on its conflicting fields (possible duplicates are left to a person)")
      .requiredOption('--take <side>', 'local or national', parseSide),
  )
    .option('--dry-run', 'only count what the take would settle')
    .option('--yes', 'settle them (a settled conflict cannot be reopened)')
    .action(async (opts: ConflictFilterOptions & { take: Side; dryRun?: boolean; yes?: boolean }) => {
      done(
        await withSession(globals(), env, async (s) => {
          if (opts.field && !opts.dataset) {
            throw new CommandFailed({ code: 'invalid_input', messages: { vi: '--field cần --dataset: tên trường là của một bộ dữ liệu.', en: "--field needs --dataset: a field's name is a dataset's." } });
          }
          const filter = filterInput(opts);
          const count = await call(s, 'conflicts.matching', filter);
          const summary = countText(s.printer, opts.take, count);
          if (opts.dryRun || count.bulkable === 0) {
            s.printer.result({ ...count, settled: false }, () => summary);
            return EXIT.ok;
          }
          if (!opts.yes) {
            throw new CommandFailed({
              code: 'invalid_input',
              messages: {
                vi: `${summary.join('\n')}\nChưa giải quyết gì: xung đột đã giải quyết không mở lại được. Thêm --yes để giải quyết, hoặc --dry-run để chỉ đếm.`,
                en: `${summary.join('\n')}\nNothing was settled: a settled conflict cannot be reopened. Add --yes to settle them, or --dry-run to only count.`,
              },
            });
          }
          const totals = await takeAll(s, { ...filter, take: opts.take, through: count.through });
          s.printer.result(totals, () => [...summary, ...resultText(s.printer, totals)]);
          return totals.busy.length > 0 ? EXIT.other : EXIT.ok;
        }),
      );
    });
}

async function takeAll(s: Session, input: ConflictFilterOptions & { take: Side; through: number }): Promise<Totals> {
  const totals: Totals = { resolved: 0, gone: 0, changed: [], outOfScope: [], busy: [], failed: [], newSince: 0, notTried: 0 };
  let after: string | null = null;
  do {
    const page: Page = await call(s, 'conflicts.resolveMatching', { ...input, limit: 200, ...(after ? { after } : {}) });
    totals.resolved += page.resolved;
    totals.gone += page.gone;
    totals.changed.push(...page.changed);
    totals.outOfScope.push(...page.outOfScope);
    totals.busy.push(...page.busy);
    totals.failed.push(...page.failed);
    totals.newSince = page.newSince;
    totals.notTried = page.notTried;
    after = page.next;
  } while (after !== null);
  return totals;
}

function countText(p: Printer, take: Side, count: CommandOutput<'conflicts.matching'>): string[] {
  const side = take === 'local' ? p.t('bên đơn vị này', "this office's side") : p.t('bên quốc gia', 'the national side');
  const lines = [p.t(`Xung đột đang chờ khớp bộ lọc: ${count.total}; giữ ${side} được cho ${count.bulkable}.`, `Open conflicts matching the filter: ${count.total}; ${side} can be kept for ${count.bulkable}.`)];
  if (count.leftScope > 0) {
    lines.push(
      take === 'local'
        ? p.t(
            `${count.leftScope} trong số đó là bản ghi đã ra ngoài phạm vi của đơn vị: nền tảng quốc gia không nhận bên đơn vị này, nên chúng sẽ vẫn mở.`,
            `${count.leftScope} of them are records that left this office's scope: the national platform does not accept this office's side, so they stay open.`,
          )
        : p.t(
            `${count.leftScope} trong số đó là bản ghi đã ra ngoài phạm vi của đơn vị: giữ bên quốc gia thì chúng không còn trên máy này.`,
            `${count.leftScope} of them are records that left this office's scope: keeping the national side takes them off this computer.`,
          ),
    );
  }
  if (count.duplicates > 0) {
    lines.push(
      p.t(
        `${count.duplicates} xung đột "có thể trùng người" không được giải quyết hàng loạt: mỗi mục cần một người xem (conflicts show <id>).`,
        `${count.duplicates} possible duplicates are not settled in bulk: a person looks at each (conflicts show <id>).`,
      ),
    );
  }
  return lines;
}

function resultText(p: Printer, t: Totals): string[] {
  const open = t.changed.length + t.outOfScope.length + t.failed.length + t.busy.length + t.notTried;
  const lines = [p.t(`Đã giải quyết ${t.resolved} xung đột; còn mở ${open}.`, `Settled ${t.resolved} conflicts; ${open} left open.`)];
  if (t.gone > 0) lines.push(p.t(`${t.gone} bản ghi không còn trên máy này (không có gì phải gửi lên).`, `${t.gone} records are no longer on this computer (nothing to send).`));
  for (const item of [...t.changed, ...t.outOfScope, ...t.failed, ...t.busy]) lines.push(`  ${item.id}: ${item.messages[p.lang]}`);
  if (t.notTried > 0) lines.push(p.t(`${t.notTried} xung đột chưa được thử vì tệp dữ liệu đang bận; chạy lại lệnh để tiếp tục.`, `${t.notTried} conflicts were not tried as the data file was busy; run the command again to go on.`));
  if (t.newSince > 0) lines.push(p.t(`${t.newSince} xung đột khớp bộ lọc mới phát sinh sau khi đếm, không thuộc lần này: chúng vẫn mở.`, `${t.newSince} conflicts matching the filter came after the count and are not part of this take: they stay open.`));
  return lines;
}

export function parseSide(value: string): Side {
  if (value !== 'local' && value !== 'national') throw new InvalidArgumentError('expected local or national');
  return value;
}

function parseKind(value: string): Kind {
  if (!(KIND_CODES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${KIND_CODES.join(', ')}`);
  return value as Kind;
}
