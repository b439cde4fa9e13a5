import type { Command } from 'commander';
import { DATASETS, datasetByName } from '../../../sync-engine/src/protocol/datasets/index.js';
import type { SiteView } from '../services/sites.js';
import { CliError, parseCommunes, printRows, withAdmin, type CliIo } from './context.js';
import { langOf, speaker, speakerOf, type Speak } from './language.js';
import { scopeChangeText } from './scope-change.js';

const row = (t: Speak) => (s: SiteView) => ({
  code: s.code,
  name: s.name,
  province: s.scope.provinceCode,
  communes: s.scope.communeCodes?.join(',') ?? t('(cả tỉnh)', '(all)'),
  scopeVersion: s.scopeVersion,
  approval: s.requireApproval ? t('có', 'required') : t('không', 'no'),
  access: Object.entries(s.access)
    .map(([d, a]) => `${d}:${a}`)
    .join(' '),
});

export function sitesCommand(program: Command, io: CliIo): void {
  const sites = program.command('sites').description('offices that run agents, and their scopes');
  sites
    .command('add <code>')
    .description('add a site')
    .requiredOption('--province <code>', 'two-digit code of a province in force (the 34 since 2025-07-01)')
    .requiredOption('--name <name>', 'display name')
    .option('--communes <codes>', "comma-separated five-digit codes of that province's communes (default: the whole province)")
    .option('--require-approval', 'new agents wait for an operator to approve them')
    .action(async (code: string, o: { province: string; name: string; communes?: string; requireApproval?: boolean }, command: Command) => {
      const site = await withAdmin(command, (admin) =>
        admin.addSite({ code, name: o.name, provinceCode: o.province, communeCodes: parseCommunes(o.communes), requireApproval: o.requireApproval === true }),
        { create: true },
      );
      const t = speaker(command);
      const communes = site.scope.communeCodes ? t(`, các xã ${site.scope.communeCodes.join(',')}`, `, communes ${site.scope.communeCodes.join(',')}`) : '';
      io.out(`${t(`đã thêm đơn vị ${site.code} (tỉnh ${site.scope.provinceCode}${communes})`, `site ${site.code} added (province ${site.scope.provinceCode}${communes})`)}\n`);
    });
  sites
    .command('scope <code>')
    .description("change a site's scope (prints it before and after); its agents are rescoped on their next pull")
    .requiredOption('--province <code>', 'two-digit code of a province in force (the 34 since 2025-07-01)')
    .option('--communes <codes>', "comma-separated five-digit codes of that province's communes")
    .option('--whole-province', 'the whole province (instead of --communes)')
    .action(async (code: string, o: { province: string; communes?: string; wholeProvince?: boolean }, command: Command) => {
      const t = speaker(command);
      const communeCodes = parseCommunes(o.communes);
      // The whole province is said, never assumed: a forgotten --communes gave an office every record of the province.
      if ((communeCodes !== undefined) === (o.wholeProvince === true)) {
        throw new CliError({
          vi: `hãy ghi --communes MÃ,MÃ (các xã của đơn vị) hoặc --whole-province (cả tỉnh ${o.province}), một trong hai; không có gì bị thay đổi`,
          en: `give --communes CODE,CODE (the site's communes) or --whole-province (all of province ${o.province}), one of the two; nothing was changed`,
        });
      }
      const [before, after] = await withAdmin(command, async (admin) => {
        const was = await admin.getSite(code);
        return [was, await admin.setSiteScope(code, { provinceCode: o.province, ...(communeCodes ? { communeCodes } : {}) })] as const;
      });
      io.out(`${scopeChangeText(t, before, after)}\n`);
    });
  sites
    .command('access <code> <dataset> <access>')
    .description('give a site read or read-write access to a dataset')
    .action(async (code: string, dataset: string, access: string, _o: unknown, command: Command) => {
      if (access !== 'read' && access !== 'read-write') throw new CliError({ vi: 'quyền phải là "read" hoặc "read-write"', en: 'access must be "read" or "read-write"' });
      const descriptor = datasetByName(dataset);
      if (!descriptor) {
        const name = JSON.stringify(dataset.slice(0, 64));
        const names = DATASETS.map((d) => d.name).join(', ');
        throw new CliError({ vi: `không có bộ dữ liệu nào tên ${name}; các bộ dữ liệu là ${names}`, en: `no dataset is called ${name}; the datasets are ${names}` });
      }
      // A site's access can only lower a dataset's own (catalog.ts): read-write on a read-only dataset would change nothing.
      if (access === 'read-write' && descriptor.access === 'read') {
        throw new CliError({
          vi: `${dataset} chỉ cho đọc với mọi đơn vị: chỉ có thể cấp quyền read (đọc) cho một đơn vị`,
          en: `${dataset} is read-only for every site: a site can only be given read access to it`,
        });
      }
      await withAdmin(command, (admin) => admin.setSiteAccess(code, dataset, access));
      const t = speaker(command);
      io.out(`${t(`đơn vị ${code} có quyền ${access} với ${dataset}`, `site ${code} has ${access} access to ${dataset}`)}\n`);
    });
  sites
    .command('list')
    .description('list sites')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const list = await withAdmin(command, (admin) => admin.listSites());
      const lang = langOf(command);
      if (o.json) printRows(io, lang, true, list as unknown as Record<string, unknown>[], []);
      else printRows(io, lang, false, list.map(row(speakerOf(lang))), ['code', 'name', 'province', 'communes', 'scopeVersion', 'approval', 'access']);
    });
}
