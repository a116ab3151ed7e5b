// `ironbridge sandbox <system>`: starts a system emulator from its connector folder.
const SANDBOXES: Record<string, () => Promise<(argv: string[]) => Promise<void>>> = {
  'sap-s4hana': async () => (await import('./connectors/sap-s4hana/sandbox/index.ts')).runSapSandboxCli,
  tryton: async () => (await import('./connectors/tryton/sandbox/index.ts')).runTrytonSandboxCli,
};

export async function runSandbox(argv: string[]) {
  const [system, ...rest] = argv;
  const load = system ? SANDBOXES[system] : undefined;
  if (!load) {
    throw new Error(`usage: ironbridge sandbox <${Object.keys(SANDBOXES).join('|') || 'system'}> [options]`);
  }
  await (
    await load()
  )(rest);
}
