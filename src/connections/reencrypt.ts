// Re-encrypts every connection's credentials under the keyring's current key, row by row, so
// readers holding both keys never see a gap.

import type { AppContext } from '../context.ts';

export async function reencryptCredentials(ctx: AppContext): Promise<{ reencrypted: number }> {
  const current = ctx.keyring.currentKeyId;
  let reencrypted = 0;
  for (;;) {
    const rows = await ctx.db.query<{ id: string; credentials_enc: string }>(
      `SELECT id, credentials_enc FROM connections WHERE split_part(credentials_enc, ':', 2) <> $1 ORDER BY id LIMIT 200`,
      [current],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const sealed = ctx.keyring.encrypt(ctx.keyring.decrypt(row.credentials_enc));
      // Only replace what we read: a concurrent credential update wins.
      const updated = await ctx.db.query(
        'UPDATE connections SET credentials_enc = $1 WHERE id = $2 AND credentials_enc = $3 RETURNING id',
        [sealed, row.id, row.credentials_enc],
      );
      reencrypted += updated.length;
    }
  }
  return { reencrypted };
}

/** Embedded mode: a new key file, the old key kept readable in encryption.key.previous, then re-encryption. */
export async function rotateEmbeddedKey(ctx: AppContext): Promise<{ reencrypted: number; key_id: string }> {
  const { appendFileSync, readFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { generateKey } = await import('../core/encryption.ts');
  const keyFile = join(ctx.config.dataDir, 'encryption.key');
  const oldKey = readFileSync(keyFile, 'utf8').trim();
  const newKey = generateKey();
  appendFileSync(join(ctx.config.dataDir, 'encryption.key.previous'), oldKey + '\n', { mode: 0o600 });
  ctx.keyring.promote(newKey);
  writeFileSync(keyFile, newKey + '\n', { mode: 0o600 });
  const { reencrypted } = await reencryptCredentials(ctx);
  return { reencrypted, key_id: ctx.keyring.currentKeyId };
}
