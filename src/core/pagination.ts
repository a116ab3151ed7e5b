// Opaque keyset cursors: base64url JSON of the last row's sort key.
import { ApiError } from '../core/errors.ts';

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, length: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length) return key;
  } catch {}
  throw new ApiError('VALIDATION_FAILED', 'The cursor is not valid', {
    details: [{ field: 'cursor', message: 'not a cursor returned by this endpoint' }],
  });
}
