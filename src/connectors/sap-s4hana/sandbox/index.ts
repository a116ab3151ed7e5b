// SAP S/4HANA sandbox: an emulator of the OData v2 APIs Ironbridge reads and writes, built
// from SAP's published $metadata (see README.md next to this file).
import type { AddressInfo } from 'node:net';
import { buildWorld } from './world.ts';
import { QueryEngine } from './query-engine.ts';
import { AuthState, DEFAULT_AUTH } from './auth.ts';
import { Faults, Stats } from './faults.ts';
import { createSandboxServer } from './server.ts';
import { SERVICE_NAMES } from './edmx.ts';
import type { SandboxState } from './state.ts';

export interface SapSandboxOptions {
  /** 0 = random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 1. */
  seed?: number;
  /** Number of maintenance orders (default 200); the other sets scale from it. */
  volume?: number;
  /** Server-driven page size (default 1000). */
  pageSize?: number;
  /** Anchor of the generated history (default: the real current time). */
  now?: Date;
  /** Lifetime of OAuth access tokens in seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** Lifetime of CSRF tokens in seconds (default 1800). */
  csrfTtlSeconds?: number;
}

export interface SapSandbox {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

export async function startSapSandbox(opts: SapSandboxOptions = {}): Promise<SapSandbox> {
  const world = buildWorld({ seed: opts.seed ?? 1, volume: opts.volume ?? 200, now: opts.now });
  const st: SandboxState = {
    world,
    engine: new QueryEngine(),
    auth: new AuthState({
      tokenTtlSeconds: opts.tokenTtlSeconds ?? DEFAULT_AUTH.tokenTtlSeconds,
      csrfTtlSeconds: opts.csrfTtlSeconds ?? DEFAULT_AUTH.csrfTtlSeconds,
    }),
    faults: new Faults(),
    stats: new Stats(),
    pageSize: Math.max(1, opts.pageSize ?? 1000),
    ticks: 0,
    prefetched: new Map(),
  };
  const server = createSandboxServer(st);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
}

function intFlag(argv: string[], name: string, dflt: number): number {
  const v = flag(argv, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

/** `ironbridge sandbox sap-s4hana`: starts the sandbox and keeps it up until SIGINT/SIGTERM. */
export async function runSapSandboxCli(argv: string[]): Promise<void> {
  const sandbox = await startSapSandbox({
    port: intFlag(argv, 'port', 4101),
    host: flag(argv, 'host'),
    seed: intFlag(argv, 'seed', 1),
    volume: intFlag(argv, 'volume', 200),
    pageSize: intFlag(argv, 'page-size', 1000),
  });
  const lines = [
    `SAP S/4HANA sandbox listening on ${sandbox.url}`,
    `  Basic auth:   ${DEFAULT_AUTH.user} / ${DEFAULT_AUTH.password}   (sap-client ${DEFAULT_AUTH.sapClient})`,
    `  OAuth2:       POST ${sandbox.url}/sap/bc/sec/oauth2/token  client ${DEFAULT_AUTH.clientId} / ${DEFAULT_AUTH.clientSecret}`,
    '  Services:',
    ...SERVICE_NAMES.map((s) => `    ${sandbox.url}/sap/opu/odata/sap/${s}/`),
    `  Controls:     ${sandbox.url}/__sandbox/{info,stats,tick,remove,faults}`,
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
}
