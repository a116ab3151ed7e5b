// The SAP default work-order mapping applied to real sandbox work orders, one core.
import { startSapSandbox } from '../src/connectors/sap-s4hana/sandbox/index.ts';
import { sapS4hana } from '../src/connectors/sap-s4hana/index.ts';
import type { SourceRecord } from '../src/connectors/types.ts';
import { effectiveFrom } from '../src/unified/mapping.ts';

export async function benchSapMappings(records = 100_000) {
  const sb = await startSapSandbox({ port: 0, seed: 3, volume: 5000 });
  const session = sapS4hana.open({
    connectionId: 'bench',
    instanceUrl: sb.url,
    deployment: 'cloud',
    credentials: { auth_type: 'basic', username: 'sandbox', password: 'sandbox' },
    settings: {},
  });
  const sample: SourceRecord[] = [];
  for await (const page of session.read('work_orders', {
    windowStart: new Date(Date.now() - 3650 * 86_400_000),
  })) {
    sample.push(...page.records);
  }
  await sb.close();
  const mapping = effectiveFrom(sapS4hana, 'work_orders', {});
  for (let i = 0; i < 5000; i++)
    mapping.compiled.apply(sample[i % sample.length].data, { connectionId: 'bench' });
  const start = process.cpuUsage();
  for (let i = 0; i < records; i++)
    mapping.compiled.apply(sample[i % sample.length].data, { connectionId: 'bench' });
  const used = process.cpuUsage(start);
  const seconds = (used.user + used.system) / 1e6;
  return { records, seconds, recordsPerSecond: Math.round(records / seconds) };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchSapMappings());
