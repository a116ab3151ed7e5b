// `node src/connectors/tryton/sandbox/cli.ts [--port N]`: a real Tryton to try Ironbridge against.
import { runTrytonSandboxCli } from './index.ts';

runTrytonSandboxCli(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
