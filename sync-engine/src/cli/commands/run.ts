import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { consoleAddress, createAdminApiClient, newAdminToken, readAdminToken, saveAdminToken, startAdminApi } from '../../admin-api/index.js';
import type { ApiError } from '../../api/contract.js';
import { holderProcess } from '../../domain/lease.js';
import { createAgentService } from '../../service/agent-service.js';
import { isProcessAlive } from '../../service/lease-keeper.js';
import { shellWord } from '../../service/shell-word.js';
import { dataDirOf, provenService, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { findConsoleFiles, hasConsoleIndex } from '../console-files.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { consoleCommand } from './console.js';
import { Printer, type Lang } from '../output.js';
import { applyAgentV8Flags } from '../../ops/runtime-options.js';
import { removeServiceFile, writeServiceFile } from '../../service/service-file.js';

/** `run`: the background service — schedule, health probe, watchdog and the local admin API. */
export function registerRunCommand(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  program
    .command('run')
    .description('run the background service: scheduled sync, health probe and the local web console')
    .option('--port <port>', 'admin API port on 127.0.0.1 (default: settings, 7420)', parsePort)
    .option('--static <dir>', "web console files to serve (default: the installation's built renderer/dist)")
    .option('--no-sync-at-start', 'do not sync at once when starting')
    .action(async (opts: { port?: number; static?: string; syncAtStart: boolean }) => {
      applyAgentV8Flags();
      done(await runService(globals(), env, opts, env.stopSignal));
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free one)');
  return port;
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
  // This folder's service already running on this computer (the OS service, a `run` in another terminal) keeps
  // its token file, service file and lease: a second service would overwrite the first two and leave the CLI
  // following a standby process. A stale service file (its process gone, or nothing there proves itself) does not count.
  const running = await provenService(dataDir, env);
  if (running !== null && isProcessAlive(running.info.pid)) {
    if (!options.lang) printer.lang = await languageOf(running.info.url, running.token, dataDir, env);
    printer.failure(alreadyRunning(dataDir, running.info.pid, running.info.url));
    return EXIT.other;
  }
  // Another agent keeping the data file locked (in use, not damaged), or a damaged file, throws here:
  // runCli says so in the words every command uses (storeRefusal), exit 4, and nothing has started.
  const service = await createAgentService({
    dataDir,
    ...env.service,
    onError: env.service?.onError ?? ((error) => printer.note(`Lỗi nền: ${String(error)}`, `Background error: ${String(error)}`)),
  });
  const settings = await service.call('settings.get', {});
  if (!options.lang && settings.ok) printer.lang = settings.value.language;
  const port = opts.port ?? (settings.ok ? settings.value.adminPort : 7420);
  const staticDir = opts.static === undefined ? findConsoleFiles(fileURLToPath(import.meta.url)) : resolve(opts.static);
  const consoleFiles = staticDir !== undefined && hasConsoleIndex(staticDir) ? staticDir : null;
  // A new token for each start: a console address from an earlier run (browser history, a copied link) no longer works.
  const token = newAdminToken();
  let admin;
  try {
    admin = await startAdminApi({ api: service, port, token, ...(staticDir ? { staticDir } : {}) });
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
  try {
    // Written only once the port is ours: a second `run` refused at the port leaves the running service's token alone.
    saveAdminToken(dataDir, token);
    await env.serviceStarted?.(service);
  } catch (error) {
    await admin.close();
    await service.close();
    throw error;
  }
  const started = await service.start({ background: true, syncAtStart: opts.syncAtStart ?? true });
  writeServiceFile(dataDir, { pid: process.pid, url: admin.url, port: admin.port, startedAt: new Date().toISOString() });
  // Without the token: these lines go to the service's journal or log file, which others may read.
  const url = consoleAddress(admin.port);
  // Listening before the start-up lines go out: whoever reads them may stop the service at once.
  const stopRequested = new Promise<void>((resolve) => {
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
  printer.result({ url, adminApi: admin.url, dataDir, syncing: started.syncing, leaseHolder: started.holder, consoleFiles }, () => [
    printer.t(`Tác tử đang chạy nền. Thư mục dữ liệu: ${dataDir}`, `The agent is running. Data folder: ${dataDir}`),
    ...(consoleFiles === null
      ? [consoleMissing(printer, opts.static), printer.t(`API quản trị: ${admin.url}`, `Admin API: ${admin.url}`)]
      : [
          printer.t(
            `Bảng điều khiển web: ${url} (địa chỉ kèm mã truy cập: chạy ${consoleCommand(dataDir)} bằng tài khoản của dịch vụ hoặc quyền quản trị)`,
            `Web console: ${url} (for the address with its access token, run ${consoleCommand(dataDir)} as the service's account or an administrator)`,
          ),
        ]),
    started.syncing
      ? printer.t('Đồng bộ theo lịch đã bật. Nhấn Ctrl-C để dừng.', 'Scheduled sync is on. Press Ctrl-C to stop.')
      : standbyLine(printer, started.holder),
  ]);

  await stopRequested;
  printer.note('Đang dừng…', 'Stopping…');
  await admin.close();
  await service.close();
  removeServiceFile(dataDir);
  return EXIT.ok;
}

/** The running service's language setting, asked through its admin API (the store is not opened: nothing is touched). */
async function languageOf(url: string, token: string, dataDir: string, env: CliEnvironment): Promise<Lang> {
  const client = createAdminApiClient({ baseUrl: url, token, fetch: env.fetch ?? fetch, rereadToken: () => readAdminToken(dataDir) });
  try {
    const settings = await client.call('settings.get', {});
    return settings.ok ? settings.value.language : 'vi';
  } catch {
    return 'vi';
  } finally {
    client.close();
  }
}

/** A second `run` of a folder whose service already runs on this computer: where it is, how to reach or stop it. */
function alreadyRunning(dataDir: string, pid: number, url: string): ApiError {
  const home = shellWord(resolve(dataDir));
  const status = `edge-agent --home ${home} status`;
  const consoleCmd = consoleCommand(dataDir);
  return {
    code: 'busy',
    messages: {
      vi: `Dịch vụ nền của thư mục dữ liệu ${dataDir} đã đang chạy trên máy này (tiến trình ${pid}, ${url}): không khởi động thêm dịch vụ thứ hai và không thay đổi gì. Hãy dùng dịch vụ đó: ${status} để xem trạng thái, ${consoleCmd} để lấy địa chỉ bảng điều khiển web. Muốn chạy edge-agent run ở đây thì dừng dịch vụ đó trước (dịch vụ của hệ điều hành, hoặc Ctrl-C ở cửa sổ lệnh đang chạy nó).`,
      en: `The background service of the data folder ${dataDir} already runs on this computer (process ${pid}, ${url}): no second service was started and nothing was changed. Use that service: ${status} for its status, ${consoleCmd} for the web console's address. To run edge-agent run here, stop that service first (the OS service, or Ctrl-C in the terminal running it).`,
    },
  };
}

/** The start-up line when no console is served: the admin API still runs, the page itself would only be a 404. */
function consoleMissing(printer: Printer, asked: string | undefined): string {
  return asked === undefined
    ? printer.t(
        'Không tìm thấy bảng điều khiển web của bản cài đặt này (renderer/dist/index.html): trang web sẽ chỉ báo lỗi 404, API quản trị vẫn chạy. Chỉ thư mục chứa nó bằng --static THƯ_MỤC; chạy từ mã nguồn thì dựng nó trước bằng npm run build:renderer.',
        "This installation's web console was not found (renderer/dist/index.html): the web page will only answer 404; the admin API still runs. Point at its folder with --static DIR; from a source checkout, build it first with npm run build:renderer.",
      )
    : printer.t(
        `Thư mục --static ${asked} không có index.html: bảng điều khiển web sẽ chỉ báo lỗi 404, API quản trị vẫn chạy.`,
        `The --static folder ${asked} has no index.html: the web console will only answer 404; the admin API still runs.`,
      );
}

/** Who syncs the folder while this service waits: its computer and process, as `status` says it (the lease's random part is of no use to IT). */
function standbyLine(printer: Printer, holder: string | null): string {
  const { host, pid } = holderProcess(holder ?? '?');
  const proc = pid === null ? '' : printer.t(` (tiến trình ${pid})`, ` (process ${pid})`);
  return printer.t(
    `Một chương trình khác trên máy ${host}${proc} đang đồng bộ thư mục này; dịch vụ này chờ và sẽ tiếp quản khi chương trình đó dừng.`,
    `Another program on ${host}${proc} syncs this folder; this service waits and takes over when it stops.`,
  );
}
