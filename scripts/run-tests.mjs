// Runs every compiled test file with node's test runner and closes with "N passed, N failed, N skipped".
// With CI=true a skip is a failure: CI installs every peer program, so a skip there means one is missing
// and the run would otherwise hide whatever the skipped tests check.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

function findTests(dir) {
  let found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

const testRoot = process.env.TUNNELSCOPE_TEST_ROOT ?? 'dist/test';
const only = process.argv.slice(2);
const files = findTests(testRoot).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (files.length === 0) {
  console.error(`no test files under ${testRoot}${only.length > 0 ? ` matching ${only.join(', ')}` : ''}: build first (npm run build)`);
  process.exit(1);
}
const skipReporter = fileURLToPath(new URL('./skip-reporter.mjs', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'tunnelscope-tests-'));
const skipLog = join(workDir, 'skips.jsonl');
const child = spawn(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${skipReporter}`, `--test-reporter-destination=${skipLog}`, ...files],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const counts = { pass: 0, fail: 0 };
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  for (const key of Object.keys(counts)) {
    const m = tail.match(new RegExp(`ℹ ${key} (\\d+)`));
    if (m) counts[key] = Number(m[1]);
  }
  let skips = [];
  try {
    skips = readFileSync(skipLog, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
  } catch {
    // no skip log: the runner died before writing it, and its exit code says so
  }
  rmSync(workDir, { recursive: true, force: true });
  const inCi = process.env.CI === 'true';
  if (skips.length > 0) {
    console.log(inCi ? '\nCI=true and tests were skipped (in CI every peer must be present):' : '\nskipped:');
    for (const s of skips) console.log(`  ${relative(process.cwd(), s.file) || '?'}: ${s.name}: ${s.reason}`);
  }
  // Counted from the skip log: node's own "skipped" leaves out skipped suites.
  console.log(`${counts.pass} passed, ${counts.fail} failed, ${skips.length} skipped`);
  if (inCi && skips.length > 0 && code === 0) process.exit(1);
  process.exit(code ?? 1);
});
