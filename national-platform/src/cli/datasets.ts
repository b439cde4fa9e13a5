import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { PublishRefusedError } from '../services/dataset-versions.js';
import { askConsent, withConsentOptions } from './consent.js';
import { CliError, printRows, withAdmin, type CliIo } from './context.js';
import { dateTime } from './date-time.js';
import { publishImpactText } from './impact-text.js';
import { langOf, speaker } from './language.js';

/**
 * `datasets list|show|publish`: the national operator publishes a new version
 * of a dataset (a new optional field, a new status, a tighter pattern) from a
 * descriptor file, without a new build. Agents take it at their next sync; a
 * serve that runs judges pushes by it from the publish on (services/catalog.ts).
 */
export function datasetsCommand(program: Command, io: CliIo): void {
  const datasets = program.command('datasets').description('the dataset versions agents receive: list them, show one, publish a new version');
  datasets
    .command('list')
    .description('each dataset with the version in force and when it was published ("shipped": the version this build carries)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const list = await withAdmin(command, (admin) => admin.listDatasets());
      const lang = langOf(command);
      if (o.json) {
        io.out(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      const t = speaker(command);
      printRows(
        io,
        lang,
        false,
        list.map((d) => ({ name: d.name, version: d.version, publishedAt: d.publishedAt ? dateTime(d.publishedAt) : t('có sẵn trong bản dựng', 'shipped'), title: d.title[lang] })),
        ['name', 'version', 'publishedAt', 'title'],
      );
    });
  datasets
    .command('show <name>')
    .description('print a dataset descriptor as JSON (the version in force, or --version N): edit it and publish it as the next version')
    .option('--version <n>', 'an earlier version')
    .action(async (name: string, o: { version?: string }, command: Command) => {
      const version = o.version === undefined ? undefined : Number(o.version);
      if (version !== undefined && (!Number.isInteger(version) || version < 1)) {
        throw new CliError({ vi: '--version phải là một số nguyên >= 1', en: '--version must be a whole number >= 1' });
      }
      const descriptor = await withAdmin(command, (admin) => admin.showDataset(name, version));
      if (!descriptor) throw new CliError({ vi: `${name} không có phiên bản ${String(version)} (xem "datasets list")`, en: `${name} has no version ${String(version)} (see "datasets list")` });
      io.out(`${JSON.stringify(descriptor, null, 2)}\n`);
    });
  withConsentOptions(
    datasets
      .command('publish <file>')
      .description(
        'publish FILE (a dataset descriptor, JSON) as the next version of its dataset: checked first, then it says how many live records the new version refuses and asks (--yes in scripts); agents take it at their next sync',
      ),
  )
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean; dryRun?: boolean; yes?: boolean }, command: Command) => {
      const t = speaker(command);
      const candidate = await readDescriptor(file);
      const out = await withAdmin(command, async (admin) => {
        try {
          const { descriptor, impact } = await admin.datasetPublishImpact(candidate);
          if (o.dryRun) return { dryRun: impact };
          await askConsent(io, t, o.yes, { summary: publishImpactText(t, impact), word: 'publish' });
          return { done: await admin.publishDataset(descriptor), impact };
        } catch (err) {
          throw err instanceof PublishRefusedError ? refused(err) : err;
        }
      });
      if (out.dryRun) {
        io.out(o.json ? `${JSON.stringify(out.dryRun)}\n` : `${publishImpactText(t, out.dryRun)}\n${t('(--dry-run: không có gì bị thay đổi)', '(--dry-run: nothing was changed)')}\n`);
        return;
      }
      const { dataset, version } = out.done;
      io.out(
        o.json
          ? `${JSON.stringify({ ...out.done, impact: out.impact })}\n`
          : `${t(
              `đã công bố ${dataset} phiên bản ${version}: các tác tử nhận nó ở lần đồng bộ tới; serve đang chạy xét các thay đổi gửi lên theo nó ngay, không cần khởi động lại`,
              `published ${dataset} version ${version}: agents take it at their next sync; a running serve judges pushes by it at once, with no restart`,
            )}\n`,
      );
    });
}

async function readDescriptor(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new CliError({ vi: `không đọc được ${file}`, en: `cannot read ${file}` });
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError({ vi: `${file} không phải JSON hợp lệ`, en: `${file} is not valid JSON` });
  }
}

/** Every reason at once, so the operator fixes the file in one go. */
function refused(err: PublishRefusedError): CliError {
  return new CliError({
    vi: `không công bố, không có gì bị thay đổi: ${err.problems.map((p) => p.vi).join('; ')}`,
    en: `not published, nothing was changed: ${err.problems.map((p) => p.en).join('; ')}`,
  });
}
