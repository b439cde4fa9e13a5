import { Option, type Command } from 'commander';
import { isLoopbackHost } from '../../../sync-engine/src/protocol/platform-address.js';
import { startPlatform, type RunningPlatform } from '../index.js';
import { CliError, openCliStore, type CliIo } from './context.js';

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
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port must be a port number, not ${options.port}`);
      if (!isLoopbackHost(options.host)) io.err(plainHttpWarning(options.host));
      const limits = rateLimitOption(options.rateLimit);
      // serve never makes a new platform: a mistyped --db would serve an empty one with a new epoch.
      const store = await openCliStore(command, options.db === undefined ? {} : { db: options.db });
      let platform: RunningPlatform;
      try {
        platform = await startPlatform({
          store,
          port,
          host: options.host,
          publicScheme: options.publicScheme,
          ...limits,
          log: (line) => io.err(`${line}\n`),
        });
      } catch (err) {
        await store.close();
        throw err;
      }
      io.out(`national platform listening on ${platform.url}\n`);
      if (options.publicScheme === 'https') io.out('signatures are checked against https:// URIs (behind a TLS gateway)\n');
      const signal = await io.stopSignal();
      io.out(`stopping (${signal})\n`);
      await platform.close();
      await store.close();
    });
}

/** SYNC-PROTOCOL.md allows plain HTTP on loopback only: agents elsewhere refuse an http:// address. */
export function plainHttpWarning(host: string): string {
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
  if (!m) throw new CliError('--rate-limit must be BURST/PER_SECOND (e.g. 600/50) or "off"');
  return { rateLimit: { burst: Number(m[1]), perSecond: Number(m[2]) } };
}
