import type { Command } from 'commander';
import type { Localized } from '../../api/views.js';
import { call, withSession, type CliEnvironment, type GlobalOptions, type Session } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';

/** `init` and `enroll` set an agent up: they make its store in a folder that holds none (withSession). */
const SETS_UP = { create: true };

/** `init` and `enroll`: pointing the agent at the platform and joining it with a one-time token. */
export function registerSetupCommands(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  program
    .command('init')
    .description('set the platform address and this office’s site code (and the sync schedule)')
    .requiredOption('--platform <url>', 'the national platform’s address, e.g. https://ndxp.example.gov.vn')
    .requiredOption('--site <code>', 'this office’s site code, as the platform operator gave it')
    .option('--schedule <cron>', 'sync schedule, five cron fields (default */5 * * * *)')
    .action(async (opts: { platform: string; site: string; schedule?: string }) => {
      done(
        await withSession(globals(), env, async (s) => {
          const settings = await call(s, 'settings.update', {
            platformUrl: opts.platform,
            siteCode: opts.site,
            ...(opts.schedule !== undefined ? { schedule: opts.schedule } : {}),
          });
          s.printer.result(settings, () => [
            s.printer.t('Đã lưu cấu hình.', 'Settings saved.'),
            `  ${s.printer.t('Nền tảng', 'Platform')}: ${settings.platformUrl}`,
            `  ${s.printer.t('Mã đơn vị', 'Site')}: ${settings.siteCode}`,
            `  ${s.printer.t('Lịch đồng bộ', 'Schedule')}: ${settings.schedule}`,
            s.printer.t(`Bước tiếp theo: ${s.printer.agent} enroll --token <mã đăng ký>`, `Next: ${s.printer.agent} enroll --token <enrollment token>`),
          ]);
          return EXIT.ok;
        }, SETS_UP),
      );
    });

  program
    .command('enroll')
    .description('enroll this computer with a one-time token (makes its key pair here)')
    .requiredOption('--token <token>', 'the one-time enrollment token from the platform operator')
    .option('--platform <url>', 'the platform’s address, if `init` did not set it')
    .option('--site <code>', 'the site code, if `init` did not set it')
    .action(async (opts: { token: string; platform?: string; site?: string }) => {
      done(
        await withSession(globals(), env, async (s) => {
          const enrolled = await call(s, 'enrollment.enroll', {
            token: opts.token,
            ...(opts.platform !== undefined ? { platformUrl: opts.platform } : {}),
            ...(opts.site !== undefined ? { siteCode: opts.site } : {}),
          });
          const clock = enrolled.status === 'active' ? await clockWarning(s) : null;
          s.printer.result(enrolled, () =>
            enrolled.status === 'active'
              ? [
                  s.printer.t(`Đã đăng ký. Mã tác tử: ${enrolled.agentId}`, `Enrolled. Agent id: ${enrolled.agentId}`),
                  ...(clock ? [s.printer.t(clock.vi, clock.en)] : []),
                  s.printer.t(`Bước tiếp theo: ${s.printer.agent} sync (đồng bộ ngay) hoặc ${s.printer.agent} run (chạy nền).`, `Next: ${s.printer.agent} sync (sync now) or ${s.printer.agent} run (background service).`),
                ]
              : [
                  s.printer.t(`Đã gửi đăng ký (mã tác tử ${enrolled.agentId}).`, `Enrollment sent (agent id ${enrolled.agentId}).`),
                  s.printer.t(
                    'Máy này đang chờ người quản trị nền tảng quốc gia phê duyệt; việc đồng bộ bắt đầu sau khi được duyệt.',
                    'This computer awaits approval by the platform operator; syncing starts once it is approved.',
                  ),
                ],
          );
          return EXIT.ok;
        }, SETS_UP),
      );
    });
}

/**
 * After an enrollment, which the platform accepts whatever this computer's
 * clock says: the first signed call (the catalog) refused for the clock makes
 * the connection's health clock_skew, and nothing will sync until the clock is
 * set. The warning that says so (null otherwise), for whoever enrolled.
 */
export async function clockWarning(s: Session): Promise<Localized | null> {
  const status = await call(s, 'status.get', {});
  if (status.health.state !== 'clock_skew') return null;
  return {
    vi: `Cảnh báo: ${status.health.reason.vi} Việc đăng ký đã xong, nhưng chưa đồng bộ được cho đến khi chỉnh đồng hồ (bật đồng bộ giờ tự động NTP); kiểm tra lại bằng ${s.printer.agent} doctor.`,
    en: `Warning: ${status.health.reason.en} The enrollment is done, but nothing syncs until the clock is set (turn on automatic time sync, NTP); check again with ${s.printer.agent} doctor.`,
  };
}
