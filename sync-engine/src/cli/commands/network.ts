import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CaFileError, extraTrust, withoutPassword } from '../../adapters/network-transport.js';
import { readAgentSnapshot } from '../../ops/agent-snapshot.js';
import { writeOperationsSettings } from '../../ops/operations-settings.js';
import { AgentSettings } from '../../service/agent-settings.js';
import { openAgentStore } from '../../store/agent-store.js';
import { agentInvocation, dataDirOf, refuseWithoutAgent, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { Printer } from '../output.js';

interface SetOptions {
  proxy?: string;
  bypass?: string;
  caFile?: string[];
  clearCa?: boolean;
}

/** `network show|set`: proxy, NO_PROXY hosts and extra CA bundles. */
export function registerNetworkCommand(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  const network = program.command('network').description('proxy and certificate settings for reaching the platform');
  network
    .command('show')
    .description('print the proxy, bypass list and extra CA files (proxy password hidden)')
    .action(async () => {
      const options = globals();
      const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
      const missing = refuseWithoutAgent(options, env, printer);
      if (missing !== null) return done(missing);
      const snapshot = await readAgentSnapshot(dataDirOf(options, env.env));
      const shown = { proxy: snapshot.settings.proxy ? withoutPassword(snapshot.settings.proxy) : null, noProxy: snapshot.operations.noProxy, caFiles: snapshot.operations.caFiles };
      printer.result(shown, () => [
        `proxy:    ${shown.proxy ?? printer.t('(không; dùng HTTPS_PROXY nếu có)', '(none; HTTPS_PROXY if set)')}`,
        `noProxy:  ${shown.noProxy ?? printer.t('(biến NO_PROXY)', '(the NO_PROXY variable)')}`,
        `caFiles:  ${shown.caFiles.join(', ') || '—'}`,
      ]);
      done(EXIT.ok);
    });
  network
    .command('set')
    .description('change the proxy (URL, may hold user:password@; "" removes it), bypass hosts and CA files')
    .option('--proxy <url>', 'proxy URL, e.g. http://user:pass@proxy.xa.local:3128 ("" = none)')
    .option('--bypass <hosts>', 'hosts that bypass the proxy, comma separated (NO_PROXY syntax)')
    .option('--ca-file <path...>', 'PEM file(s) of extra certificate authorities to trust (replaces the list)')
    .option('--clear-ca', 'trust only the built-in certificate authorities again')
    .action(async (opts: SetOptions) => {
      const options = globals();
      const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
      printer.agent = agentInvocation(dataDirOf(options, env.env), env.env);
      const fail = (vi: string, en: string) => {
        printer.failure({ code: 'invalid_input', messages: { vi, en } });
        done(EXIT.usage);
      };
      if (opts.proxy) {
        try {
          if (!/^https?:$/.test(new URL(opts.proxy).protocol)) throw new Error('scheme');
        } catch {
          return fail(`Địa chỉ proxy không hợp lệ: ${withoutPassword(opts.proxy)} (dạng http://máy:cổng).`, `Invalid proxy address: ${withoutPassword(opts.proxy)} (expected http://host:port).`);
        }
      }
      const caFiles = opts.caFile?.map((f) => resolve(f));
      if (caFiles) {
        try {
          extraTrust(caFiles);
        } catch (error) {
          if (!(error instanceof CaFileError)) throw error;
          return fail(error.messages.vi, error.messages.en);
        }
      }
      const store = await openAgentStore(dataDirOf(options, env.env), { integrityCheck: false });
      try {
        if (opts.proxy !== undefined) await new AgentSettings(store).write({ proxy: opts.proxy || null });
        await store.transaction((tx) =>
          writeOperationsSettings(tx, {
            ...(opts.bypass !== undefined ? { noProxy: opts.bypass } : {}),
            ...(caFiles ? { caFiles } : opts.clearCa ? { caFiles: [] } : {}),
          }),
        );
      } finally {
        await store.close();
      }
      printer.result({ saved: true }, () => printer.t(`Đã lưu. Kiểm tra bằng: ${printer.agent} doctor`, `Saved. Check with: ${printer.agent} doctor`));
      done(EXIT.ok);
    });
}
