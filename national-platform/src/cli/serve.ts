import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { isLoopbackHost } from '../../../sync-engine/src/protocol/platform-address.js';
import { startPlatform, type RunningPlatform } from '../index.js';
import { driverOf } from '../store/data-source.js';
import { redactedUrl } from '../store/platform-store.js';
import { CopyRunningError, holdServeLock, type HeldLock } from '../store/serve-lock.js';
import { CliError, globalDb, openCliStore, type CliIo } from './context.js';
import { langOf, speakerOf, type Lang } from './language.js';

export function serveCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('run the platform HTTP API until interrupted')
    .option('--port <port>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--db <path|url>', 'SQLite file or postgres:// URL (same as the global --db)')
    .option('--rate-limit <burst/perSecond>', 'per-agent token bucket, e.g. 600/50, or "off"')
    .addOption(
      new Option(
        '--public-scheme <scheme>',
        'scheme of the address agents use (the signed @target-uri): "https" behind a gateway that terminates TLS and ' +
          'forwards plain HTTP here with the Host header unchanged. Fixed, never taken from X-Forwarded-Proto',
      )
        .choices(['http', 'https'])
        .default('http'),
    )
    .action(async (options: { port: string; host: string; db?: string; rateLimit?: string; publicScheme: 'http' | 'https' }, command: Command) => {
      const lang = langOf(command);
      const t = speakerOf(lang);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        throw new CliError({ vi: `--port phải là một số cổng, không phải ${options.port}`, en: `--port must be a port number, not ${options.port}` });
      }
      if (!isLoopbackHost(options.host)) io.err(plainHttpWarning(options.host, lang));
      const limits = rateLimitOption(options.rateLimit);
      // serve never makes a new platform: a mistyped --db would serve an empty one with a new epoch.
      const db = options.db ?? globalDb(command);
      const store = await openCliStore(command, { db });
      // Held while it serves: `copy` of this database is refused meanwhile (store/serve-lock.ts).
      let lock: HeldLock;
      try {
        lock = await holdServeLock(db);
      } catch (err) {
        await store.close();
        if (!(err instanceof CopyRunningError)) throw err;
        const where = driverOf(db) === 'postgres' ? redactedUrl(db) : resolve(db);
        throw new CliError({
          vi: `đang có lệnh copy sao chép ${where} sang một cơ sở dữ liệu khác; serve không chạy lúc này để bản sao không thiếu gì: hãy đợi copy xong, rồi serve bản sao (--db mới của nó)`,
          en: `a copy of ${where} (copy --to) is running; serve does not start meanwhile, so the copy misses nothing: wait for it to end, then serve the copy (its new --db)`,
        });
      }
      let platform: RunningPlatform;
      try {
        platform = await startPlatform({
          store,
          port,
          host: options.host,
          publicScheme: options.publicScheme,
          ...limits,
          // The server's own log lines (errors with their stack, a missed epoch started) stay English, as logs.
          log: (line) => io.err(`${line}\n`),
        });
      } catch (err) {
        await lock.release();
        await store.close();
        throw err;
      }
      // The address ends the line in both languages.
      io.out(`${t(`nền tảng quốc gia đang lắng nghe tại ${platform.url}`, `national platform listening on ${platform.url}`)}\n`);
      if (options.publicScheme === 'https') {
        io.out(`${t('chữ ký được kiểm tra theo địa chỉ https:// (sau một cổng TLS)', 'signatures are checked against https:// URIs (behind a TLS gateway)')}\n`);
      }
      const signal = await io.stopSignal();
      io.out(`${t(`đang dừng (${signal})`, `stopping (${signal})`)}\n`);
      await platform.close();
      await store.close();
      await lock.release();
    });
}

/** SYNC-PROTOCOL.md allows plain HTTP on loopback only: agents elsewhere refuse an http:// address. */
export function plainHttpWarning(host: string, lang: Lang): string {
  if (lang === 'vi') {
    return (
      `cảnh báo: đang phục vụ HTTP thường trên ${host}, không phải địa chỉ loopback. Tác tử từ chối địa chỉ nền tảng http:// ` +
      'trừ khi đó là loopback (localhost, 127.0.0.0/8, ::1): hãy đặt một cổng TLS (reverse proxy có chứng chỉ) trước máy chủ này, ' +
      'chạy serve với --public-scheme https, và đưa cho tác tử địa chỉ https:// của cổng đó.\n'
    );
  }
  return (
    `warning: serving plain HTTP on ${host}, which is not a loopback address. Agents refuse an http:// platform address ` +
    'unless it is loopback (localhost, 127.0.0.0/8, ::1): put a TLS gateway (a reverse proxy with a certificate) in front ' +
    'of this server, serve with --public-scheme https, and give agents its https:// address.\n'
  );
}

function rateLimitOption(text: string | undefined): { rateLimit?: { burst: number; perSecond: number } | false } {
  if (text === undefined) return {};
  if (text === 'off') return { rateLimit: false };
  const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text);
  if (!m) throw new CliError({ vi: '--rate-limit phải có dạng BURST/PER_SECOND (ví dụ 600/50) hoặc "off"', en: '--rate-limit must be BURST/PER_SECOND (e.g. 600/50) or "off"' });
  return { rateLimit: { burst: Number(m[1]), perSecond: Number(m[2]) } };
}
