// Credentials at rest: AES-256-GCM. Each ciphertext names the key it was sealed with, so a keyring
// holding the old and the new key reads both while a rotation re-encrypts row by row.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export function parseKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (buf.length !== 32) {
    throw new Error('The encryption key must be 32 bytes, given as 64 hex characters or base64');
  }
  return buf;
}

export function generateKey(): string {
  return randomBytes(32).toString('base64');
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export class Keyring {
  #current: { id: string; key: Buffer };
  #all = new Map<string, Buffer>();

  constructor(current: string, previous: string[] = []) {
    const key = parseKey(current);
    this.#current = { id: keyId(key), key };
    this.#all.set(this.#current.id, key);
    for (const p of previous) {
      const k = parseKey(p);
      this.#all.set(keyId(k), k);
    }
  }

  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Makes `raw` the key new ciphertexts use; the old one stays readable. */
  promote(raw: string): void {
    const key = parseKey(raw);
    this.#current = { id: keyId(key), key };
    this.#all.set(this.#current.id, key);
  }

  encrypt(plain: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.#current.id,
      iv.toString('base64'),
      tag.toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  decrypt<T = unknown>(sealed: string): T {
    const [version, id, iv, tag, body] = sealed.split(':');
    if (version !== VERSION) throw new Error('Unknown ciphertext version');
    const key = this.#all.get(id);
    if (!key) throw new Error(`Credentials were encrypted with key ${id}, which is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }

  static sealedKeyId(sealed: string): string {
    return sealed.split(':')[1] ?? '';
  }
}
