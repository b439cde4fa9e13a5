import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { consoleUrl, loadOrCreateAdminToken, startAdminApi } from '../../admin-api/index.js';
import { createAgentService } from '../../service/agent-service.js';
import { dataDirOf, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { Printer } from '../output.js';
import { applyAgentV8Flags } from '../../ops/runtime-options.js';
import { removeServiceFile, writeServiceFile } from '../../service/service-file.js';

/** The built renderer, served as the web console when present. */
export const RENDERER_DIST = fileURLToPath(new URL('../../../../renderer/dist/', import.meta.url));

/** `run`: the background service — schedule, health probe, watchdog and the local admin API. */
export function registerRunCommand(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  program
    .command('run')
    .description('run the background service: scheduled sync, health probe and the local web console')
    .option('--port <port>', 'admin API port on 127.0.0.1 (default: settings, 7420)', (v) => Number.parseInt(v, 10))
    .option('--static <dir>', 'web console files to serve (default: renderer/dist when built)')
    .option('--no-sync-at-start', 'do not sync at once when starting')
    .action(async (opts: { port?: number; static?: string; syncAtStart: boolean }) => {
      applyAgentV8Flags();
      done(await runService(globals(), env, opts, env.stopSignal));
    });
}

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the service and resolves once it has stopped: on SIGINT/SIGTERM (or
 * `signal` aborting, for tests) it closes the admin API, lets a run in progress
 * finish, gives the lease up and closes the store.
 */
export async function runService(
  options: GlobalOptions,
  env: CliEnvironment,
  opts: { port?: number; static?: string; syncAtStart?: boolean },
  signal?: AbortSignal,
): Promise<ExitCode> {
  const dataDir = dataDirOf(options, env.env);
  const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
  const service = await createAgentService({
    dataDir,
    ...env.service,
    onError: env.service?.onError ?? ((error) => printer.note(`Lỗi nền: ${String(error)}`, `Background error: ${String(error)}`)),
  });
  const settings = await service.call('settings.get', {});
  if (!options.lang && settings.ok) printer.lang = settings.value.language;
  const port = opts.port ?? (settings.ok ? settings.value.adminPort : 7420);
  const staticDir = opts.static ?? (existsSync(RENDERER_DIST) ? RENDERER_DIST : undefined);
  let admin;
  try {
    admin = await startAdminApi({ api: service, port, token: loadOrCreateAdminToken(dataDir), ...(staticDir ? { staticDir } : {}) });
  } catch (error) {
    await service.close();
    printer.failure({
      code: 'busy',
      messages: {
        vi: `Không mở được cổng quản trị ${port} trên 127.0.0.1 (${String((error as Error).message)}). Có thể một tác tử khác đang chạy; hãy dừng nó hoặc chọn --port khác.`,
        en: `Cannot open the admin port ${port} on 127.0.0.1 (${String((error as Error).message)}). Another agent may be running; stop it or pick another --port.`,
      },
    });
    return EXIT.other;
  }
  env.serviceStarted?.(service);
  const started = await service.start({ background: true, syncAtStart: opts.syncAtStart ?? true });
  writeServiceFile(dataDir, { pid: process.pid, url: admin.url, port: admin.port, startedAt: new Date().toISOString() });
  const url = consoleUrl(admin.port, loadOrCreateAdminToken(dataDir));
  printer.result({ url, adminApi: admin.url, dataDir, syncing: started.syncing, leaseHolder: started.holder }, () => [
    printer.t(`Tác tử đang chạy nền. Thư mục dữ liệu: ${dataDir}`, `The agent is running. Data folder: ${dataDir}`),
    printer.t(`Bảng điều khiển web: ${url}`, `Web console: ${url}`),
    started.syncing
      ? printer.t('Đồng bộ theo lịch đã bật. Nhấn Ctrl-C để dừng.', 'Scheduled sync is on. Press Ctrl-C to stop.')
      : printer.t(
          `Một chương trình khác (${started.holder}) đang đồng bộ thư mục này; dịch vụ này chờ và sẽ tiếp quản khi chương trình đó dừng.`,
          `Another program (${started.holder}) syncs this folder; this service waits and takes over when it stops.`,
        ),
  ]);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
  });
  printer.note('Đang dừng…', 'Stopping…');
  await admin.close();
  await service.close();
  removeServiceFile(dataDir);
  return EXIT.ok;
}
