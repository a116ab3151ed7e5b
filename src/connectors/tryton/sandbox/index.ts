// The Tryton sandbox: the real trytond on a prepared throwaway database (see server.ts, seed.ts).
import type { ConnectionConfig } from '../../types.ts';
import { startTryton } from './server.ts';

export { startTryton } from './server.ts';
export type { StartTrytonOptions, TrytonSandbox } from './server.ts';
export { PRODUCTS, SUPPLIERS } from './seed.ts';

/** `--port N` (default: a free port) `--fresh`; prints how to connect and runs until SIGINT/SIGTERM. */
export async function runTrytonSandboxCli(argv: string[]): Promise<void> {
  let port: number | undefined;
  let fresh = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') port = Number(argv[++i]);
    else if (a.startsWith('--port=')) port = Number(a.slice('--port='.length));
    else if (a === '--fresh') fresh = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: tryton-sandbox [--port N] [--fresh]\n');
      return;
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error('--port needs a port number');
  }
  const started = Date.now();
  const sandbox = await startTryton({ port, fresh });
  process.stdout.write(
    [
      `Tryton sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  url:      ${sandbox.url}`,
      `  database: ${sandbox.database}`,
      `  user:     ${sandbox.user}`,
      `  password: ${sandbox.password}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((res) => {
    process.once('SIGINT', res);
    process.once('SIGTERM', res);
  });
  await sandbox.close();
}

/** A ConnectionConfig for the Tryton connector pointing at a running sandbox. */
export function sandboxConnection(
  sandbox: { url: string; database: string; user: string; password: string },
  credentials: Record<string, unknown> = {},
): ConnectionConfig {
  return {
    connectionId: 'conn_tryton_sandbox',
    instanceUrl: sandbox.url,
    deployment: 'on_premise',
    credentials: {
      database: sandbox.database,
      username: sandbox.user,
      password: sandbox.password,
      ...credentials,
    },
    settings: {},
  };
}
