import type { Command } from 'commander';
import { DATASETS, datasetByName } from '../../../sync-engine/src/protocol/datasets/index.js';
import type { SiteView } from '../services/sites.js';
import { CliError, parseCommunes, printRows, withAdmin, type CliIo } from './context.js';

const row = (s: SiteView) => ({
  code: s.code,
  name: s.name,
  province: s.scope.provinceCode,
  communes: s.scope.communeCodes?.join(',') ?? '(all)',
  scopeVersion: s.scopeVersion,
  approval: s.requireApproval ? 'required' : 'no',
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
      io.out(`site ${site.code} added (province ${site.scope.provinceCode}${site.scope.communeCodes ? `, communes ${site.scope.communeCodes.join(',')}` : ''})\n`);
    });
  sites
    .command('scope <code>')
    .description("change a site's scope; its agents are rescoped on their next pull")
    .requiredOption('--province <code>', 'two-digit code of a province in force (the 34 since 2025-07-01)')
    .option('--communes <codes>', "comma-separated five-digit codes of that province's communes (default: the whole province)")
    .action(async (code: string, o: { province: string; communes?: string }, command: Command) => {
      const communeCodes = parseCommunes(o.communes);
      const site = await withAdmin(command, (admin) => admin.setSiteScope(code, { provinceCode: o.province, ...(communeCodes ? { communeCodes } : {}) }));
      io.out(`site ${site.code} now has scope version ${site.scopeVersion}\n`);
    });
  sites
    .command('access <code> <dataset> <access>')
    .description('give a site read or read-write access to a dataset')
    .action(async (code: string, dataset: string, access: string, _o: unknown, command: Command) => {
      if (access !== 'read' && access !== 'read-write') throw new CliError('access must be "read" or "read-write"');
      const descriptor = datasetByName(dataset);
      if (!descriptor) {
        throw new CliError(`no dataset is called ${JSON.stringify(dataset.slice(0, 64))}; the datasets are ${DATASETS.map((d) => d.name).join(', ')}`);
      }
      // A site's access can only lower a dataset's own (catalog.ts): read-write on a read-only dataset would change nothing.
      if (access === 'read-write' && descriptor.access === 'read') throw new CliError(`${dataset} is read-only for every site: a site can only be given read access to it`);
      await withAdmin(command, (admin) => admin.setSiteAccess(code, dataset, access));
      io.out(`site ${code} has ${access} access to ${dataset}\n`);
    });
  sites
    .command('list')
    .description('list sites')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const list = await withAdmin(command, (admin) => admin.listSites());
      if (o.json) printRows(io, true, list as unknown as Record<string, unknown>[], []);
      else printRows(io, false, list.map(row), ['code', 'name', 'province', 'communes', 'scopeVersion', 'approval', 'access']);
    });
}
