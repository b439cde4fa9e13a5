import { resolve } from 'node:path';
import type { Command } from 'commander';
import { adminTokenAccess, consoleUrl, createAdminApiClient, provenToken, readAdminToken } from '../../admin-api/index.js';
import type { ApiError } from '../../api/contract.js';
import { readServiceFile } from '../../service/service-file.js';
import { dataDirOf, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { Printer } from '../output.js';
import { shellWord } from '../../service/shell-word.js';

/**
 * `console`: the running service's web console address with its access token,
 * for the person at this computer. `run` prints the address without the token
 * (its start-up lines go to the service's journal or log file, which others
 * may read); whoever may read the token file (the service's account, root, an
 * administrator) gets the full address here.
 */
export function registerConsoleCommand(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  program
    .command('console')
    .description("print the running service's web console address with its access token (as the service's account or an administrator)")
    .action(async () => done(await printConsoleUrl(globals(), env)));
}

/** The command that prints the console address for DATADIR, as a person types it on this computer. */
export function consoleCommand(dataDir: string): string {
  return `edge-agent --home ${shellWord(resolve(dataDir))} console`;
}

async function printConsoleUrl(options: GlobalOptions, env: CliEnvironment): Promise<ExitCode> {
  const dataDir = dataDirOf(options, env.env);
  const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
  if (options.log !== undefined) {
    printer.failure(refused.log());
    return EXIT.usage;
  }
  const access = adminTokenAccess(dataDir);
  if (access.state === 'denied') {
    printer.failure(refused.denied(access.path, consoleCommand(dataDir)));
    return EXIT.unauthorized;
  }
  if (access.state === 'missing') {
    printer.failure(refused.noToken(dataDir));
    return EXIT.other;
  }
  const service = readServiceFile(dataDir);
  if (service === null) {
    printer.failure(refused.notRunning(dataDir));
    return EXIT.other;
  }
  // Only a listener that proves it knows the token gets an address to hand a browser (docs/security.md);
  // a service that restarted since the file was read proves the file's new token.
  const fetchImpl = env.fetch ?? fetch;
  const reread = () => readAdminToken(dataDir);
  const token = await provenToken({ baseUrl: service.url, token: access.token, reread, fetch: fetchImpl, timeoutMs: 2000 });
  if (token === null) {
    printer.failure(refused.unproven(service.url));
    return EXIT.other;
  }
  if (!options.lang) {
    const client = createAdminApiClient({ baseUrl: service.url, token, fetch: fetchImpl, rereadToken: reread });
    try {
      const settings = await client.call('settings.get', {});
      if (settings.ok) printer.lang = settings.value.language;
    } finally {
      client.close();
    }
  }
  const url = consoleUrl(service.port, token);
  printer.result({ url, adminApi: service.url, dataDir }, () => url);
  printer.note(
    'Địa chỉ này chứa mã truy cập quản trị: chỉ mở trên máy này, không gửi cho ai, không lưu làm dấu trang.',
    'This address holds the admin access token: open it on this computer only; do not send it to anyone or bookmark it.',
  );
  return EXIT.ok;
}

const refused = {
  log: (): ApiError => ({
    code: 'invalid_input',
    messages: {
      vi: 'Lệnh console không chạy cùng --log: địa chỉ nó in ra chứa mã truy cập quản trị, không được ghi vào tệp nhật ký.',
      en: 'The console command does not run with --log: the address it prints holds the admin access token, which must not go into a log file.',
    },
  }),
  denied: (path: string, command: string): ApiError => ({
    code: 'unauthorized',
    messages:
      process.platform === 'win32'
        ? {
            vi: `Tài khoản này không đọc được mã truy cập quản trị (${path}): chỉ tài khoản của dịch vụ nền và quản trị viên đọc được. Hãy mở cửa sổ lệnh bằng "Run as administrator" ("Chạy với tư cách quản trị viên" trên Windows tiếng Việt) rồi chạy lại: ${command}`,
            en: `This account cannot read the admin access token (${path}): only the background service's account and administrators may. Open a command prompt with "Run as administrator" and run again: ${command}`,
          }
        : {
            vi: `Tài khoản này không đọc được mã truy cập quản trị (${path}): chỉ tài khoản của dịch vụ nền và root đọc được. Hãy chạy lại bằng quyền root: sudo ${command}`,
            en: `This account cannot read the admin access token (${path}): only the background service's account and root may. Run it again as root: sudo ${command}`,
          },
  }),
  noToken: (dataDir: string): ApiError => ({
    code: 'not_found',
    messages: {
      vi: `Thư mục dữ liệu ${dataDir} chưa có mã truy cập quản trị: dịch vụ nền chưa chạy lần nào với thư mục này (hoặc đây không phải thư mục của nó: chỉ đúng thư mục bằng --home THƯ_MỤC). Hãy khởi động dịch vụ rồi chạy lại lệnh này.`,
      en: `The data folder ${dataDir} has no admin access token yet: the background service has never run with it (or it is not the service's folder: name the right one with --home DIR). Start the service, then run this again.`,
    },
  }),
  notRunning: (dataDir: string): ApiError => ({
    code: 'unreachable',
    messages: {
      vi: `Dịch vụ nền của thư mục dữ liệu ${dataDir} không chạy: hãy khởi động nó (dịch vụ của hệ điều hành, hoặc edge-agent run) rồi chạy lại lệnh này.`,
      en: `The background service of the data folder ${dataDir} is not running: start it (the OS service, or edge-agent run), then run this again.`,
    },
  }),
  unproven: (url: string): ApiError => ({
    code: 'unreachable',
    messages: {
      vi: `Không có gì ở ${url} chứng minh được là dịch vụ nền của thư mục này (dịch vụ đã dừng, đang khởi động, hoặc một chương trình khác giữ cổng): địa chỉ có mã truy cập không được in ra, để không chương trình nào khác nhận được mã. Kiểm tra dịch vụ (edge-agent status) rồi chạy lại lệnh này.`,
      en: `Nothing at ${url} proves to be this folder's background service (it stopped, is still starting, or another program holds the port): the address with the access token is not printed, so that no other program gets the token. Check the service (edge-agent status), then run this again.`,
    },
  }),
};
