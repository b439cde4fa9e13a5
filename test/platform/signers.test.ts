import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EntityManager } from 'typeorm';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import { createPlatformAdmin, openPlatformStore, type PlatformStore } from '../../national-platform/src/index.js';
import { SignerDirectory, SIGNER_TTL_MS } from '../../national-platform/src/services/signer-directory.js';
import type { AgentRow } from '../../national-platform/src/store/entities/agent.js';
import type { SiteRow } from '../../national-platform/src/store/entities/site.js';
import { describeOnEachStore } from '../support/platform-harness.js';

const AGENT_ID = '0190a6e2-0000-7000-8000-0000000000aa';

function agentRow(status: AgentRow['status']): AgentRow {
  return { id: AGENT_ID, siteCode: 'HN-01', name: 'agent', publicKeyPem: 'pem', status, createdAt: '2025-01-01T00:00:00.000Z', statusChangedAt: '2025-01-01T00:00:00.000Z', lastSeenAt: null };
}

const SITE: SiteRow = { code: 'HN-01', name: 'Hà Nội', provinceCode: '01', communeCodes: null, scopeVersion: 1, requireApproval: false, createdAt: '2025-01-01T00:00:00.000Z' };

/** A store whose lookups answer from `agents` (the agent with its site joined) and count themselves; `gate` can hold one open. */
function fakeStore(agents: Map<string, AgentRow>) {
  const state = { reads: 0, gate: null as Promise<void> | null };
  const query = { id: '' };
  const chain = {
    leftJoinAndMapOne: () => chain,
    where: (_sql: string, params: { id: string }) => {
      query.id = params.id;
      return chain;
    },
    getOne: async () => {
      const agent = agents.get(query.id);
      return agent ? { ...agent, site: agent.siteCode === SITE.code ? SITE : null } : null;
    },
  };
  const em = { getRepository: () => ({ createQueryBuilder: () => chain }) } as unknown as EntityManager;
  const store = {
    lookup: async <T>(work: (em: EntityManager) => Promise<T>): Promise<T> => {
      state.reads += 1;
      const out = await work(em);
      if (state.gate) await state.gate;
      return out;
    },
  } as unknown as PlatformStore;
  return { store, state };
}

describe('signer directory', () => {
  test('a signer is read once per TTL, and at once again after a change is announced', async () => {
    const agents = new Map([[AGENT_ID, agentRow('active')]]);
    const { store, state } = fakeStore(agents);
    let now = 1_000_000;
    const signers = new SignerDirectory(store, () => now);
    assert.equal((await signers.find(AGENT_ID))?.agent.status, 'active');
    assert.equal((await signers.find(AGENT_ID))?.site?.code, 'HN-01');
    assert.equal(state.reads, 1);
    agents.set(AGENT_ID, agentRow('revoked'));
    signers.agentChanged(AGENT_ID);
    assert.equal((await signers.find(AGENT_ID))?.agent.status, 'revoked');
    assert.equal(state.reads, 2);
    now += SIGNER_TTL_MS;
    await signers.find(AGENT_ID);
    assert.equal(state.reads, 3, 'an entry older than the TTL is read again');
    signers.siteChanged('HN-01');
    await signers.find(AGENT_ID);
    assert.equal(state.reads, 4, 'a site change forgets the agents of that site');
  });

  test('an unknown agent is never cached, so its enrollment is seen at once', async () => {
    const agents = new Map<string, AgentRow>();
    const { store, state } = fakeStore(agents);
    const signers = new SignerDirectory(store, () => 1_000_000);
    assert.equal(await signers.find(AGENT_ID), null);
    agents.set(AGENT_ID, agentRow('active'));
    assert.equal((await signers.find(AGENT_ID))?.agent.status, 'active');
    assert.equal(state.reads, 2);
  });

  test('a lookup that raced a change is not kept', async () => {
    const agents = new Map([[AGENT_ID, agentRow('active')]]);
    const { store, state } = fakeStore(agents);
    const signers = new SignerDirectory(store, () => 1_000_000);
    let release!: () => void;
    state.gate = new Promise<void>((resolve) => (release = resolve));
    const racing = signers.find(AGENT_ID); // reads 'active', then waits
    await new Promise((resolve) => setImmediate(resolve));
    agents.set(AGENT_ID, agentRow('revoked'));
    signers.agentChanged(AGENT_ID);
    release();
    state.gate = null;
    assert.equal((await racing)?.agent.status, 'active');
    assert.equal((await signers.find(AGENT_ID))?.agent.status, 'revoked');
  });
});

describeOnEachStore('signer changes from another process', (env) => {
  test('a revocation made through another store connection (the CLI) applies once the cached entry expires', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    assert.equal((await agent.catalog()).status, 200);
    const other = await openPlatformStore(p.db);
    try {
      await createPlatformAdmin({ store: other }).revokeAgent(agent.agentId);
    } finally {
      await other.close();
    }
    p.clock.advance(Math.ceil(SIGNER_TTL_MS / 1000) + 1);
    const refused = await agent.catalog<ErrorBody>();
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'agent_revoked');
  });
});
