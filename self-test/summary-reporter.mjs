/**
 * A node:test reporter that prints only the closing line of `npm test`,
 * "N passed, N failed", counting steps and a step's own subtests (one per
 * seeded defect) but not a step whose subtests were counted, nor a step
 * left out. Runs next to
 * node's spec reporter, which prints everything else.
 *
 * Plain JavaScript: node's test runner loads reporters before the TypeScript
 * loader (tsx) is registered.
 *
 * @param {AsyncIterable<{ type: string, data: { nesting: number, skip?: unknown, todo?: unknown, details?: { type?: string } } }>} source
 */
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  /** Completed tests per nesting level since their parent's last completion: a test with some is a parent. */
  const completedBelow = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { nesting, details, skip, todo } = event.data;
    const isParent = (completedBelow[nesting + 1] ?? 0) > 0 || details?.type === 'suite';
    completedBelow[nesting + 1] = 0;
    completedBelow[nesting] = (completedBelow[nesting] ?? 0) + 1;
    // A step left out by --test-name-pattern is reported as skipped: it did not pass.
    if (isParent || skip !== undefined || todo !== undefined) continue;
    if (event.type === 'test:pass') passed += 1;
    else failed += 1;
  }
  yield `\n${passed} passed, ${failed} failed\n`;
}
