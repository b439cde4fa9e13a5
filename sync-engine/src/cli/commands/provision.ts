import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { nodeCronSource } from '../../adapters/cron-node.js';
import { CaFileError, extraTrust } from '../../adapters/network-transport.js';
import { enroll } from '../../adapters/platform-client-got.js';
import { installService, systemRunner, type CommandRunner } from '../../adapters/service-installer.js';
import { writeOperationsSettings } from '../../ops/operations-settings.js';
import { parseProvisioningFile } from '../../ops/provisioning-file.js';
import { currentOs, defaultExecutable, serviceFileOf, winswSourceOf } from '../../ops/service-definitions.js';
import { openAgentStore } from '../../store/agent-store.js';
import { agentInvocation, call, dataDirOf, withSession, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
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
      const network = { proxy: p.proxy ?? null, noProxy: p.noProxy ?? null, caFiles: (p.caFiles ?? []).map((f) => resolve(f)) };
      try {
        // Each CA file as every later call reads it (a DER .cer holds no PEM certificate), before anything is saved.
        extraTrust(network.caFiles);
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
        await store.transaction((tx) => writeOperationsSettings(tx, { caFiles: network.caFiles, ...(p.noProxy !== undefined ? { noProxy: p.noProxy } : {}) }));
      } finally {
        await store.close();
      }
      // Enrollment goes through the same proxy and extra CAs as every later call.
      const sessionEnv: CliEnvironment = { ...env, service: { ...env.service, enroll: (url, request) => enroll(url, request, { network }) } };
      let result: ProvisionResult | null = null;
      let clock: { vi: string; en: string } | null = null;
      const code = await withSession(language ? { ...options, lang: language } : options, sessionEnv, async (s) => {
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
          const enrolled = await call(s, 'enrollment.enroll', { token: p.token });
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
