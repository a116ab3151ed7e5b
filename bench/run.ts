// npm run bench: the benchmarks, with results written to bench/RESULTS.md.
//   node bench/run.ts [--quick]   (--quick: smaller volumes, for a smoke run)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { benchMappings } from './mappings.ts';
import { benchSapMappings } from './sap-mappings.ts';
import { benchSync, type SyncBenchResult } from './sync.ts';

const quick = process.argv.includes('--quick');
const volumes = quick ? [10_000, 40_000] : [100_000, 400_000];
const lines: string[] = [];
const log = (s: string) => {
  console.log(s);
  lines.push(s);
};

log(`# Benchmark results\n`);
log(
  `Run ${new Date().toISOString()} on ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}${quick ? ', quick mode' : ''}.\n`,
);

log(`## Mapping engine (one core)\n`);
const m = await benchMappings(200_000);
log(
  `- synthetic purchase orders (25 fields, 3 lines): ${m.recordsPerSecond.toLocaleString('en')} records/s (target ≥ 100,000)`,
);
const sm = await benchSapMappings(100_000);
log(
  `- default SAP work-order mapping over ${sm.records.toLocaleString('en')} stored work orders from the sandbox: ${sm.recordsPerSecond.toLocaleString('en')} records/s (target ≥ 100,000)\n`,
);

log(`## Sync (SAP sandbox → Ironbridge, separate processes)\n`);
log(`| database | work orders | initial sync s | records/s | peak RSS MB | incremental s (changes) |`);
log(`|---|---|---|---|---|---|`);
const results: SyncBenchResult[] = [];
for (const db of ['postgres', 'pglite'] as const) {
  for (const volume of volumes) {
    const r = await benchSync(db, volume);
    results.push(r);
    log(
      `| ${db} | ${r.workOrders.toLocaleString('en')} | ${r.initialSeconds.toFixed(1)} | ${r.recordsPerSecond.toLocaleString('en')} | ${r.peakRssMb} | ${r.incrementalSeconds.toFixed(2)} (${r.incrementalChanged}) |`,
    );
  }
}
log('');
for (const db of ['postgres', 'pglite'] as const) {
  const [a, b] = results.filter((r) => r.database === db);
  log(
    `- ${db}: peak RSS ${a.peakRssMb} MB at ${a.workOrders.toLocaleString('en')} vs ${b.peakRssMb} MB at ${b.workOrders.toLocaleString('en')} (${(((b.peakRssMb - a.peakRssMb) / a.peakRssMb) * 100).toFixed(0)}%; target within 20%)`,
  );
}
log(`\nTargets: ≥ 10,000 records/s initial on PostgreSQL, RSS independent of volume, incremental < 2 s.`);
log(
  `A work order here is a whole SAP MaintenanceOrder header (110 properties) with its operations and components (selected fields): about 7 KB of JSON kept as remote_data.`,
);
writeFileSync(join(import.meta.dirname, quick ? 'RESULTS-quick.md' : 'RESULTS.md'), lines.join('\n') + '\n');
