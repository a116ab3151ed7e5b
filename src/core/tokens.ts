// Secret keys and connection tokens: 256 random bits, shown once, stored as SHA-256 digests.
// A digest of a high-entropy token needs no salt or slow hash; lookups stay O(1) by digest.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'secret_key' | 'connection_token';
export type EnvironmentKind = 'sandbox' | 'production';

const PREFIX: Record<TokenKind, Record<EnvironmentKind, string>> = {
  secret_key: { sandbox: 'ib_sk_test_', production: 'ib_sk_live_' },
  connection_token: { sandbox: 'ib_ct_test_', production: 'ib_ct_live_' },
};

export function generateToken(kind: TokenKind, env: EnvironmentKind): string {
  return PREFIX[kind][env] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of a presented token with a stored digest. */
export function tokenMatches(token: string, storedDigest: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedDigest, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function tokenKind(token: string): { kind: TokenKind; env: EnvironmentKind } | null {
  for (const kind of Object.keys(PREFIX) as TokenKind[]) {
    for (const env of Object.keys(PREFIX[kind]) as EnvironmentKind[]) {
      if (token.startsWith(PREFIX[kind][env])) return { kind, env };
    }
  }
  return null;
}

/** What may be shown of a token after creation: its prefix and last four characters. */
export function tokenHint(token: string): string {
  return `${token.slice(0, 11)}…${token.slice(-4)}`;
}
