import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { driverOf } from '../store/data-source.js';
import { redactedUrl, type PlatformStore } from '../store/platform-store.js';
import { sqliteFileExists } from '../store/schema-version.js';
import { holdCopyLock, ServeRunningError, type HeldLock } from '../store/serve-lock.js';
import { copyPlatformStore, TargetNotEmptyError, UnknownTableError } from '../store/store-copy.js';
import { CliError, globalDb, openCliStore, type CliIo } from './context.js';
import { nounOf, speaker } from './language.js';

/** A database as the operator reads it: a SQLite file's full path, a URL without its password. */
const shown = (db: string) => (driverOf(db) === 'postgres' ? redactedUrl(db) : resolve(db));

/**
 * `copy --to DB`: the platform moved to another database (SQLite to
 * PostgreSQL when a pilot grows, or back), whole and unchanged, so its agents
 * carry on. Before it, the only way to PostgreSQL was a new, empty platform
 * (`sites add` there): every office enrolled again and pulled everything anew.
 */
export function copyCommand(program: Command, io: CliIo): void {
  program
    .command('copy')
    .description(
      'copy the whole platform (sites, tokens, agents, records, message log, epoch and head seq) into another database: ' +
        'SQLite to PostgreSQL or back; stop serve first. Agents carry on with no resync once serve runs on the copy',
    )
    .requiredOption('--to <path|url>', 'the new database: a postgres:// URL of a database made with CREATE DATABASE and holding no platform, or a SQLite file that does not exist yet')
    .option('--json', 'print JSON')
    .action(async (o: { to: string; json?: boolean }, command: Command) => {
      const t = speaker(command);
      const from = globalDb(command);
      if (shown(from) === shown(o.to)) {
        throw new CliError({ vi: `--to phải là một cơ sở dữ liệu khác --db (${shown(from)})`, en: `--to must be another database than --db (${shown(from)})` });
      }
      const newFile = driverOf(o.to) === 'sqlite';
      if (newFile && sqliteFileExists(resolve(o.to))) {
        throw new CliError({
          vi: `tệp ${resolve(o.to)} đã có; không có gì được sao chép: hãy ghi tên một tệp mới cho --to`,
          en: `the file ${resolve(o.to)} already exists; nothing was copied: give --to a new file's name`,
        });
      }
      const source = await openCliStore(command);
      // Held for the whole copy: refused while serve runs on the source (agents could push writes the copy misses),
      // and a serve started meanwhile is refused until the copy ends.
      let lock: HeldLock;
      try {
        lock = await holdCopyLock(from);
      } catch (err) {
        await source.close();
        if (!(err instanceof ServeRunningError)) throw err;
        throw new CliError({
          vi:
            `serve đang chạy trên ${shown(from)}: bản sao lấy lúc này có thể thiếu những gì các tác tử vừa gửi; không có gì được sao chép. ` +
            'Hãy dừng serve trước (Ctrl-C, hoặc dừng dịch vụ chạy nó), rồi chạy lại copy',
          en:
            `serve is running on ${shown(from)}: a copy taken now could miss what agents are sending; nothing was copied. ` +
            'Stop serve first (Ctrl-C, or stop the service that runs it), then run copy again',
        });
      }
      let target: PlatformStore | null = null;
      try {
        target = await openCliStore(command, { create: true, db: o.to });
        const counts = await copyPlatformStore(source, target);
        const state = await target.state();
        if (o.json) {
          io.out(`${JSON.stringify({ from: shown(from), to: shown(o.to), epoch: state.epoch, headSeq: state.headSeq, tables: counts })}\n`);
          return;
        }
        const n = (table: string) => (counts[table] ?? 0).toLocaleString(t('vi-VN', 'en-US'));
        const of = (table: string, one: string, many?: string) => `${n(table)} ${nounOf(counts[table] ?? 0, one, many)}`;
        io.out(
          `${t(
            `đã sao chép nền tảng từ ${shown(from)} sang ${shown(o.to)}: ${n('sites')} đơn vị, ${n('agents')} tác tử, ${n('enrollment_tokens')} mã đăng ký, ` +
              `${n('records')} bản ghi, ${n('message_log')} mục nhật ký thông điệp; epoch ${state.epoch} và head seq ${state.headSeq} giữ nguyên, nên các tác tử ` +
              `tiếp tục đồng bộ mà không phải tải lại. Từ nay hãy ghi --db ${shown(o.to)} cho mọi lệnh, kể cả serve; đừng chạy serve trên ${shown(from)} nữa`,
            `copied the platform from ${shown(from)} to ${shown(o.to)}: ${of('sites', 'site')}, ${of('agents', 'agent')}, ${of('enrollment_tokens', 'enrollment token')}, ` +
              `${of('records', 'record')}, ${of('message_log', 'message log entry', 'message log entries')}; epoch ${state.epoch} and head seq ${state.headSeq} are kept, so agents ` +
              `carry on syncing with no resync. From now on give --db ${shown(o.to)} to every command, serve included; do not serve ${shown(from)} again`,
          )}\n`,
        );
      } catch (err) {
        if (target) await target.close().catch(() => undefined);
        target = null;
        // A SQLite file made here and left half-filled would pass later for a platform.
        if (newFile) for (const suffix of ['', '-wal', '-shm']) rmSync(`${resolve(o.to)}${suffix}`, { force: true });
        if (err instanceof TargetNotEmptyError) {
          throw new CliError({
            vi: `${shown(o.to)} đã chứa một nền tảng (đơn vị, mã đăng ký, tác tử, bản ghi hoặc thông điệp); không có gì được sao chép: hãy dùng một cơ sở dữ liệu mới (createdb)`,
            en: `${shown(o.to)} already holds a platform (sites, tokens, agents, records or messages); nothing was copied: use a new database (createdb)`,
          });
        }
        if (err instanceof UnknownTableError) {
          throw new CliError({
            vi: `cơ sở dữ liệu ${shown(from)} có những bảng bản dựng này không sao chép được: ${err.tables.join(', ')}; không có gì được sao chép`,
            en: `the database ${shown(from)} holds tables this build cannot copy: ${err.tables.join(', ')}; nothing was copied`,
          });
        }
        throw err;
      } finally {
        await target?.close();
        await source.close();
        await lock.release();
      }
    });
}
