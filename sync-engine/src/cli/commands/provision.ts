import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { nodeCronSource } from '../../adapters/cron-node.js';
import { CaFileError, extraTrust } from '../../adapters/network-transport.js';
import { installService, systemRunner, type CommandRunner } from '../../adapters/service-installer.js';
import { writeOperationsSettings } from '../../ops/operations-settings.js';
import { parseProvisioningFile } from '../../ops/provisioning-file.js';
import { currentOs, defaultExecutable, serviceFileOf, winswSourceOf } from '../../ops/service-definitions.js';
import { openAgentStore } from '../../store/agent-store.js';
import type { ApiError } from '../../api/contract.js';
import { agentInvocation, call, CommandFailed, dataDirOf, withSession, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { shellWord } from '../../service/shell-word.js';
import { inputFileFailure } from '../file-errors.js';
import { Printer } from '../output.js';
import { installFailure } from './service.js';
import { clockWarning } from './setup.js';

export interface ProvisionResult {
  settings: 'saved';
  enrollment: 'enrolled' | 'pending' | 'already-enrolled';
  agentId: string | null;
  service: 'installed' | 'skipped' | 'failed';
  /** Why the service install failed (service: 'failed'). */
  serviceError?: { vi: string; en: string };
}

/**
 * `provision FILE`: settings, enrollment and the OS service from one JSON
 * file. Safe to run again: an agent already enrolled at the same platform and
 * site is not enrolled again (the token may be used up by then).
 */
export function registerProvisionCommand(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void, runner: CommandRunner = systemRunner): void {
  program
    .command('provision <file>')
    .description('set up, enroll and install the service from one JSON file (installers/provisioning.example.json)')
    .option('--exec <path>', 'the edge-agent command the service starts (default: where the package puts it)')
    .option('--winsw <path>', 'Windows: the WinSW 2.x executable to install the service with (default: beside the edge-agent command)')
    .action(async (file: string, opts: { exec?: string; winsw?: string }) => {
      const options = globals();
      const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
      let text: string;
      try {
        text = readFileSync(resolve(file), 'utf8');
      } catch (error) {
        const failure = inputFileFailure(error, resolve(file));
        if (failure === null) throw error;
        printer.failure(failure);
        return done(EXIT.usage);
      }
      const parsed = parseProvisioningFile(text, env.service?.cron ?? nodeCronSource);
      // Without --lang, what follows is said in the file's language (the folder's setting it saves), as other commands follow that setting.
      const language = options.lang ?? (parsed.ok ? parsed.value.language : parsed.language);
      if (language) printer.lang = language;
      if (!parsed.ok) {
        printer.failure({
          code: 'invalid_input',
          messages: { vi: `Tệp cấu hình ${file} có ${parsed.problems.length} trường sai:`, en: `The provisioning file ${file} has ${parsed.problems.length} wrong field(s):` },
          fieldErrors: parsed.problems.map((p) => ({ path: p.path, code: 'invalid', messages: p.messages })),
        });
        return done(EXIT.usage);
      }
      const p = parsed.value;
      const dataDir = dataDirOf(options, env.env);
      printer.agent = agentInvocation(dataDir, env.env);
      // A field the file leaves out keeps its value, as proxy and noProxy do: a CA file added with `network set` after
      // a first try that met an untrusted certificate stays when the same file is provisioned again.
      const caFiles = p.caFiles === undefined ? undefined : p.caFiles.map((f) => resolve(f));
      try {
        // Each CA file as every later call reads it (a DER .cer holds no PEM certificate), before anything is saved.
        extraTrust(caFiles ?? []);
      } catch (error) {
        if (!(error instanceof CaFileError)) throw error;
        printer.failure({
          code: 'invalid_input',
          messages: { vi: `Tệp cấu hình ${file} có 1 trường sai:`, en: `The provisioning file ${file} has 1 wrong field(s):` },
          fieldErrors: [{ path: 'caFiles', code: 'invalid', messages: { vi: `trường "caFiles": ${error.messages.vi}`, en: `field "caFiles": ${error.messages.en}` } }],
        });
        return done(EXIT.usage);
      }
      const store = await openAgentStore(dataDir, { integrityCheck: false });
      try {
        await store.transaction((tx) => writeOperationsSettings(tx, { ...(caFiles !== undefined ? { caFiles } : {}), ...(p.noProxy !== undefined ? { noProxy: p.noProxy } : {}) }));
      } finally {
        await store.close();
      }
      let result: ProvisionResult | null = null;
      let clock: { vi: string; en: string } | null = null;
      // Enrollment goes through the folder's proxy and extra CAs as saved just now, as every later call does (networkAwareServiceOptions).
      const code = await withSession(language ? { ...options, lang: language } : options, env, async (s) => {
        // A file that names no language: the folder's (as the session read it), for the result too.
        printer.lang = s.printer.lang;
        await call(s, 'settings.update', {
          platformUrl: p.platformUrl,
          siteCode: p.siteCode,
          ...(p.schedule !== undefined ? { schedule: p.schedule } : {}),
          ...(p.proxy !== undefined ? { proxy: p.proxy } : {}),
          ...(p.language !== undefined ? { language: p.language } : {}),
          ...(p.adminPort !== undefined ? { adminPort: p.adminPort } : {}),
        });
        const status = await call(s, 'status.get', {});
        const already = (status.enrollment === 'active' || status.enrollment === 'pending') && status.siteCode === p.siteCode;
        if (already) {
          result = { settings: 'saved', enrollment: 'already-enrolled', agentId: null, service: 'skipped' };
        } else {
          const enrolled = await call(s, 'enrollment.enroll', { token: p.token }).catch((error: unknown) => {
            throw error instanceof CommandFailed ? new CommandFailed(stoppedAtEnrollment(error.error, file, printer.agent, p.installService !== false)) : error;
          });
          result = { settings: 'saved', enrollment: enrolled.status === 'active' ? 'enrolled' : 'pending', agentId: enrolled.agentId, service: 'skipped' };
          if (enrolled.status === 'active') clock = await clockWarning(s);
        }
        return EXIT.ok;
        // Provision sets the agent up: its store was made above, in a folder that may have held none.
      }, { create: true });
      if (code !== EXIT.ok || result === null) return done(code);
      const outcome: ProvisionResult = result;
      if (p.installService !== false) {
        const os = currentOs();
        const executable = opts.exec ?? defaultExecutable(os, existsSync);
        const serviceData = resolve(dataDir);
        const installed = await installService(os, serviceFileOf({ os, executable, dataDir: serviceData }), serviceData, runner, { winsw: opts.winsw ?? winswSourceOf(executable) });
        outcome.service = installed.ok ? 'installed' : 'failed';
        if (!installed.ok) outcome.serviceError = installFailure(installed);
      }
      printer.result(outcome, () => [
        printer.t('Đã lưu cấu hình.', 'Settings saved.'),
        outcome.enrollment === 'already-enrolled'
          ? printer.t('Máy này đã đăng ký từ trước: bỏ qua bước đăng ký.', 'This computer was already enrolled: enrollment skipped.')
          : outcome.enrollment === 'pending'
            ? printer.t(`Đã gửi đăng ký (${outcome.agentId}); đang chờ phê duyệt.`, `Enrollment sent (${outcome.agentId}); awaiting approval.`)
            : printer.t(`Đã đăng ký: ${outcome.agentId}.`, `Enrolled: ${outcome.agentId}.`),
        ...(clock ? [printer.t(clock.vi, clock.en)] : []),
        outcome.service === 'installed'
          ? printer.t('Đã cài dịch vụ hệ thống.', 'The OS service is installed.')
          : outcome.serviceError
            ? printer.t(
                `${outcome.serviceError.vi} Cấu hình và đăng ký đã lưu: sửa lỗi rồi chạy lại provision hoặc ${printer.agent} service install.`,
                `${outcome.serviceError.en} The settings and enrollment are saved: fix this, then run provision or ${printer.agent} service install again.`,
              )
            : printer.t('Không cài dịch vụ (installService: false).', 'Service not installed (installService: false).'),
      ]);
      done(outcome.service === 'failed' ? EXIT.other : EXIT.ok);
    });
}

/**
 * An enrollment that failed inside `provision`: the enrollment's own words,
 * then what provisioning did and what to run once it is fixed. The enrollment
 * says to enroll again; `enroll` alone would leave the OS service uninstalled,
 * so the next step is the same `provision` (its saved settings, and a CA file
 * or proxy added with `network set` meanwhile, are kept).
 */
export function stoppedAtEnrollment(error: ApiError, file: string, agent: string, withService: boolean): ApiError {
  const again = `${agent} provision ${shellWord(resolve(file))}`;
  const service = withService ? { vi: ' và chưa cài dịch vụ hệ thống', en: ' and the OS service is not installed' } : { vi: '', en: '' };
  return {
    ...error,
    messages: {
      vi: `${error.messages.vi} Việc cài đặt bằng ${file} dừng ở bước đăng ký: cấu hình trong tệp đã được lưu, máy chưa đăng ký${service.vi}. Khắc phục xong (mã đăng ký mới, nếu cần, ghi vào trường "token" của tệp), hãy chạy lại: ${again} (lệnh này đăng ký rồi cài dịch vụ; chỉ chạy enroll thì không cài dịch vụ).`,
      en: `${error.messages.en} Provisioning from ${file} stopped at the enrollment: the file's settings are saved, this computer is not enrolled${service.en}. Once that is fixed (a new token, if one is needed, goes in the file's "token"), run again: ${again} (it enrolls, then installs the service; enroll alone does not install it).`,
    },
  };
}
