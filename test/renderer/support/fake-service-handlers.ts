/**
 * The fake agent's commands about the agent itself: status, datasets, sync
 * runs, settings, enrollment, the audit check, backup and diagnostics.
 */
import type { SyncRunView } from '../../../sync-engine/src/api/index.js';
import { DATASETS } from '../../../sync-engine/src/protocol/datasets/index.js';
import { refusals } from '../../../sync-engine/src/service/service-errors.js';
import { fail, ok } from './fake-answers.js';
import type { Handlers } from './fake-answers.js';
import type { FakeAgent } from './fake-agent.js';
import { stamp } from './fake-exports.js';
import { runDetail } from './fake-activity.js';

/** status.get, datasets.list, sync.now, syncRuns.list, syncRuns.get, settings.*, enrollment.enroll, audit.verify, backup.create, diagnostics.export. */
export function serviceHandlers(agent: FakeAgent) {
  return {
    'status.get': () => (agent.statusRefusal ? { ok: false as const, error: agent.statusRefusal } : ok(agent.status())),
    'datasets.list': () => ok(DATASETS.map((d) => agent.datasetView(d.name)!)),
    'sync.now': () => {
      if (agent.leaseHeldBy) {
        // The agent's own refusal, so the fake says exactly what the window would be told.
        const refusal = refusals.leaseHeld(`${agent.leaseHeldBy.host}/${agent.leaseHeldBy.pid ?? ''}/fake`);
        return { ok: false as const, error: { code: 'busy' as const, messages: refusal.messages } };
      }
      const run: SyncRunView = {
        id: (agent.runs[0]?.id ?? 0) + 1,
        trigger: 'manual',
        startedAt: new Date().toISOString(),
        finishedAt: null,
        status: 'running',
        pushed: 0,
        pulled: 0,
        conflicts: 0,
        rejected: 0,
        error: null,
      };
      agent.runs.unshift(run);
      agent.emit('sync.started', { runId: run.id, trigger: run.trigger });
      setTimeout(() => {
        Object.assign(run, { finishedAt: new Date().toISOString(), status: 'ok', pulled: 12 });
        agent.emit('sync.finished', run);
      }, 200).unref();
      return ok({ started: true, run });
    },
    // The fake's runs are stored as the engine groups them (fake-activity.ts); pages go by run number.
    'syncRuns.list': ({ limit, before }) => ok(agent.runs.filter((r) => before === undefined || r.id < before).slice(0, limit)),
    'syncRuns.get': ({ id }) => {
      const run = agent.runs.find((r) => r.id === id);
      return ok(run ? runDetail(run) : null);
    },
    'settings.get': () => ok(agent.settings),
    'settings.update': (patch) => {
      agent.settings = { ...agent.settings, ...patch };
      return ok(agent.settings);
    },
    'enrollment.enroll': ({ token }) => {
      if (token.startsWith('bad')) return fail('unauthorized', 'Mã đăng ký không hợp lệ hoặc đã dùng.', 'The enrollment token is invalid or used.');
      agent.enrollment = 'active';
      agent.emit('status.changed', agent.status());
      return ok({ status: 'active' as const, agentId: 'agent-0001' });
    },
    'audit.verify': () => ok({ ok: true, events: 1_234, brokenAt: null }),
    'backup.create': () => {
      const at = new Date();
      if (agent.maintenanceFailure) return { ok: false, error: agent.maintenanceFailure };
      const records = [...agent.records.values()].reduce((n, list) => n + list.length, 0);
      return ok({
        path: `${agent.dataDir}\\backups\\manual-${stamp(at)}.tar.gz`,
        bytes: 4_873_420,
        createdAt: at.toISOString(),
        records,
        files: [
          { name: 'agent.sqlite', size: 201_326_592 },
          { name: 'agent-key.pem', size: 119 },
          { name: 'agent-key.pub.pem', size: 113 },
        ],
        agentVersion: '0.1.0',
      });
    },
    'diagnostics.export': () => {
      const at = new Date();
      if (agent.maintenanceFailure) return { ok: false, error: agent.maintenanceFailure };
      return ok({ path: `${agent.dataDir}\\diagnostics\\diagnostics-${stamp(at)}.json`, bytes: 183_296, createdAt: at.toISOString(), database: 'ok' as const });
    },
  } satisfies Partial<Handlers>;
}
