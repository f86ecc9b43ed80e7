// Prints "N passed, N failed" from vitest's JSON report. A missing report, or a test file that
// failed before running any test (e.g. an import error), counts as a failure.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.ci/report.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
const brokenFiles = (report.testResults ?? []).filter(
  (result) => result.status === 'failed' && (result.assertionResults ?? []).length === 0,
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
