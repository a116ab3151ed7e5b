// The `ironbridge` command as a user runs it: real processes, the embedded database in a temp dir.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'ironbridge.js');
const dir = mkdtempSync(join(tmpdir(), 'ib-cli-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => {
  const e: Record<string, string | undefined> = {
    ...process.env,
    IRONBRIDGE_DATA_DIR: join(dir, 'data'),
    PORT: '0',
    HOST: '127.0.0.1',
    ...extra,
  };
  delete e.DATABASE_URL;
  delete e.IRONBRIDGE_ENCRYPTION_KEY;
  return e as NodeJS.ProcessEnv;
};

function run(args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: env(extra),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function startServer(): Promise<{
  url: string;
  key: string | null;
  child: ChildProcess;
  output: () => string;
}> {
  const child = spawn(process.execPath, [CLI, 'start'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = /worker at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
  });
  return { url, key: /^\s+(ib_sk_test_\S+)$/m.exec(out)?.[1] ?? null, child, output: () => out };
}

test('api and worker refuse to run without DATABASE_URL, saying why', () => {
  for (const role of ['api', 'worker']) {
    const r = run([role]);
    assert.equal(r.code, 1);
    assert.match(r.err, /needs DATABASE_URL/);
  }
});

test('systems lists the shipped systems; unknown commands fail with help', () => {
  const r = run(['systems']);
  assert.equal(r.code, 0);
  const bad = run(['frobnicate']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /unknown command/);
});

test('first start creates the account and prints a sandbox key once; CLI commands work through the running server', async () => {
  const first = await startServer();
  assert.match(first.key ?? '', /^ib_sk_test_/);
  assert.match(first.output(), /shown only once/);
  assert.match(first.output(), /generated an encryption key/);
  const sys = await fetch(`${first.url}/v1/systems`, { headers: { authorization: `Bearer ${first.key}` } });
  assert.equal(sys.status, 200);

  // The embedded database is held by the server: keys are created through it, never by a second opener.
  const created = run(['keys', 'create', '--environment', 'production']);
  assert.equal(created.code, 0, created.err);
  const key = created.out.trim().split('\n').at(-1)!;
  assert.match(key, /^ib_sk_live_[A-Za-z0-9_-]{43}$/);
  const ok = await fetch(`${first.url}/v1/credits`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(ok.status, 200);
  const bad = run(['keys', 'create', '--environment', 'staging']);
  assert.equal(bad.code, 1);
  const mig = run(['migrate']);
  assert.equal(mig.code, 0);
  assert.match(mig.out, /running Ironbridge applied/);

  const keyBefore = readFileSync(join(dir, 'data', 'encryption.key'), 'utf8');
  const rot = run(['keys', 'rotate-encryption']);
  assert.equal(rot.code, 0, rot.err);
  assert.match(rot.out, /Re-encrypted \d+ credentials/);
  assert.notEqual(readFileSync(join(dir, 'data', 'encryption.key'), 'utf8'), keyBefore);

  // A second server on the same data dir is refused rather than corrupting it.
  const second = run(['start']);
  assert.equal(second.code, 1);
  assert.match(second.err, /in use by a running Ironbridge/);

  first.child.kill('SIGTERM');
  await new Promise((r) => first.child.once('exit', r));
  // Restart on the same data: no new key is printed, the old one still works.
  const again = await startServer();
  assert.equal(again.key, null);
  const still = await fetch(`${again.url}/v1/credits`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(still.status, 200);
  again.child.kill('SIGTERM');
  await new Promise((r) => again.child.once('exit', r));
});
