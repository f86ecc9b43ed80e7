// Prints "N passed, N failed" summed over vitest's JSON reports (one per Node version CI runs).
// A missing report, or a test file that failed before running any test (e.g. an import error),
// counts as a failure.
import { existsSync, readFileSync } from 'node:fs';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['.ci/report.json'];
let passed = 0;
let failed = 0;
for (const file of files) {
  if (!existsSync(file)) {
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const brokenFiles = (report.testResults ?? []).filter(
    (result) => result.status === 'failed' && (result.assertionResults ?? []).length === 0,
  ).length;
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + brokenFiles;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
