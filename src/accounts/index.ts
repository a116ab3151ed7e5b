// Accounts, their sandbox/production environments and secret keys.
import { newId } from '../core/ids.ts';
import { generateToken, hashToken, tokenHint, type EnvironmentKind } from '../core/tokens.ts';
import type { Db, Queryable } from '../store/db.ts';

export interface Environment {
  id: string;
  account_id: string;
  kind: EnvironmentKind;
}

/** On an empty database: the default account, both environments, and one sandbox secret key. */
export async function ensureDefaultAccount(db: Db): Promise<{ created: boolean; sandboxKey?: string }> {
  return db.tx(async (q) => {
    await q.query('LOCK TABLE accounts IN EXCLUSIVE MODE');
    const existing = await q.query('SELECT id FROM accounts LIMIT 1');
    if (existing.length > 0) return { created: false };
    const accountId = newId('acct');
    await q.query('INSERT INTO accounts (id, name) VALUES ($1, $2)', [accountId, 'Default account']);
    for (const kind of ['sandbox', 'production'] as const) {
      await q.query('INSERT INTO environments (id, account_id, kind) VALUES ($1, $2, $3)', [
        newId('env'),
        accountId,
        kind,
      ]);
    }
    const sandboxKey = await createSecretKeyIn(q, accountId, 'sandbox', 'Initial sandbox key');
    return { created: true, sandboxKey };
  });
}

export async function getEnvironment(
  q: Queryable,
  accountId: string | null,
  kind: EnvironmentKind,
): Promise<Environment> {
  const rows = await q.query<Environment>(
    `SELECT e.id, e.account_id, e.kind FROM environments e
       WHERE e.kind = $1 AND ($2::text IS NULL OR e.account_id = $2)
       ORDER BY e.created_at LIMIT 1`,
    [kind, accountId],
  );
  if (!rows[0]) throw new Error('No account exists yet; start Ironbridge once to create it');
  return rows[0];
}

async function createSecretKeyIn(
  q: Queryable,
  accountId: string | null,
  kind: EnvironmentKind,
  name?: string,
) {
  const env = await getEnvironment(q, accountId, kind);
  const key = generateToken('secret_key', kind);
  await q.query(
    'INSERT INTO secret_keys (id, environment_id, token_hash, hint, name) VALUES ($1, $2, $3, $4, $5)',
    [newId('sk'), env.id, hashToken(key), tokenHint(key), name ?? null],
  );
  return key;
}

/** A new secret key for the default account's environment; the plaintext is returned once. */
export async function createSecretKey(db: Db, kind: EnvironmentKind, name?: string): Promise<string> {
  return db.tx((q) => createSecretKeyIn(q, null, kind, name));
}
