import { siteScopeSchema, type SiteScope } from '../protocol/records.js';
import type { Sql } from './sql.js';

/**
 * Small key-value tables: `settings` (JSON values the person or the installer
 * chose) and `credentials` (who this agent is on the platform). The private
 * key is never stored here: only a reference to where the KeyStore keeps it.
 */
export class Settings {
  async get<T>(db: Sql, key: string): Promise<T | undefined> {
    const row = await db.get<{ value: string }>('SELECT "value" FROM "settings" WHERE "key" = ?', [key]);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async all(db: Sql): Promise<Record<string, unknown>> {
    const rows = await db.all<{ key: string; value: string }>('SELECT "key", "value" FROM "settings" ORDER BY "key"');
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  async set(tx: Sql, key: string, value: unknown): Promise<void> {
    await tx.run(
      'INSERT INTO "settings" ("key", "value") VALUES (?, ?) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"',
      [key, JSON.stringify(value)],
    );
  }

  async delete(tx: Sql, key: string): Promise<void> {
    await tx.run('DELETE FROM "settings" WHERE "key" = ?', [key]);
  }
}

/** Who this agent is, as enrollment answered. */
export interface AgentIdentity {
  agentId: string;
  siteCode: string;
  scope: SiteScope;
  /** 'active' or 'pending' (awaiting an operator's approval) at enrollment. */
  status: string;
  platformUrl: string;
  /** Where the KeyStore keeps the private key (e.g. a file name in the data folder). */
  keyRef: string;
  agentName?: string;
  enrolledAt?: string;
}

const IDENTITY_KEYS = ['agentId', 'siteCode', 'scope', 'status', 'platformUrl', 'keyRef', 'agentName', 'enrolledAt'] as const;

export class Credentials {
  async identity(db: Sql): Promise<AgentIdentity | null> {
    return this.identityFrom(await db.all<{ key: string; value: string }>('SELECT "key", "value" FROM "credentials"'));
  }

  /** The identity held by these `credentials` rows (read by another query), or null if not enrolled. */
  identityFrom(rows: ReadonlyArray<{ key: string; value: string }>): AgentIdentity | null {
    const map = new Map(rows.map((r) => [r.key, r.value]));
    const agentId = map.get('agentId');
    const siteCode = map.get('siteCode');
    const scope = map.get('scope');
    if (!agentId || !siteCode || !scope) return null;
    const identity: AgentIdentity = {
      agentId,
      siteCode,
      scope: siteScopeSchema.parse(JSON.parse(scope)),
      status: map.get('status') ?? 'active',
      platformUrl: map.get('platformUrl') ?? '',
      keyRef: map.get('keyRef') ?? '',
    };
    const agentName = map.get('agentName');
    if (agentName !== undefined) identity.agentName = agentName;
    const enrolledAt = map.get('enrolledAt');
    if (enrolledAt !== undefined) identity.enrolledAt = enrolledAt;
    return identity;
  }

  async saveIdentity(tx: Sql, identity: AgentIdentity): Promise<void> {
    for (const key of IDENTITY_KEYS) {
      const value = identity[key];
      if (value === undefined) continue;
      await this.set(tx, key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }

  async get(db: Sql, key: string): Promise<string | undefined> {
    return (await db.get<{ value: string }>('SELECT "value" FROM "credentials" WHERE "key" = ?', [key]))?.value;
  }

  async set(tx: Sql, key: string, value: string): Promise<void> {
    await tx.run(
      'INSERT INTO "credentials" ("key", "value") VALUES (?, ?) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"',
      [key, value],
    );
  }

  async clear(tx: Sql): Promise<void> {
    await tx.run('DELETE FROM "credentials"');
  }
}
