// A node:test reporter that prints only the closing line: "N passed, N failed".
export default async function* summary(source: AsyncIterable<{ type: string; data: any }>) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    // Count leaf tests only (suites report their own pass/fail too); file-level failures count once.
    if (event.type === 'test:pass' && event.data.details?.type !== 'suite' && !event.data.skip) passed++;
    if (event.type === 'test:fail' && event.data.details?.type !== 'suite') failed++;
  }
  yield `\n${passed} passed, ${failed} failed\n`;
}
