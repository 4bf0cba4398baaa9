// Adds up the JSON reports of every test stage into one closing line: "N passed, N failed, N skipped", and names
// each failed test above it with the first line of its error, so the end of a CI log says what failed, not only where.
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? ".data/test-reports";
let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];

const firstLine = (message: unknown) =>
  String(message ?? "")
    // ANSI colours from the reporters.
    .replace(/\u001b\[[0-9;]*m/g, "")
    .split("\n")
    .map((line) => line.trim())
    .find((line) => line.length > 0)
    ?.slice(0, 200) ?? "";

type PlaywrightSuite = {
  title?: string;
  file?: string;
  suites?: PlaywrightSuite[];
  specs?: { title: string; file?: string; line?: number; tests: { status: string; results: { error?: { message?: string } }[] }[] }[];
};

function playwrightFailures(suite: PlaywrightSuite, stage: string) {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests) {
      if (test.status !== "unexpected") continue;
      const error = test.results.map((r) => r.error?.message).find(Boolean);
      failures.push(`[${stage}] ${spec.file ?? suite.file ?? ""}:${spec.line ?? ""} › ${spec.title}\n      ${firstLine(error)}`);
    }
  }
  for (const child of suite.suites ?? []) playwrightFailures(child, stage);
}

for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
  const stage = path.basename(file, ".json");
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  if (report.stats && "expected" in report.stats) {
    // Playwright
    passed += report.stats.expected + (report.stats.flaky ?? 0);
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
    for (const suite of report.suites ?? []) playwrightFailures(suite, stage);
  } else {
    // Vitest
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    for (const result of report.testResults ?? []) {
      const where = path.relative(process.cwd(), result.name ?? "");
      const failedTests = (result.assertionResults ?? []).filter((a: { status: string }) => a.status === "failed");
      for (const a of failedTests) failures.push(`[${stage}] ${where} › ${a.fullName}\n      ${firstLine(a.failureMessages?.[0])}`);
      // A file that failed outside its tests (a hook, an import) has no failed test to name.
      if (result.status === "failed" && failedTests.length === 0) failures.push(`[${stage}] ${where}\n      ${firstLine(result.message)}`);
    }
  }
}
for (const failure of failures) console.log(`failed test: ${failure}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
