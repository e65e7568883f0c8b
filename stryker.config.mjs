// StrykerJS over one module (TUNNELSCOPE_MUTATE=filter|switch|dissect|overlay; `npm run mutation -- MODULE`
// sets it): the module's sources and the unit tests that exercise them (scripts/mutation-modules.mjs),
// compiled once by the build command with every mutant switchable at run time, then run in one long-lived
// process by the project's node:test runner plugin (scripts/stryker-node-test-runner.mjs): each `it` is a
// test, and a mutant reruns only the tests that cover it. An incremental file per module makes reruns
// test only what changed.

import { MODULES } from './scripts/mutation-modules.mjs';

const name = process.env.TUNNELSCOPE_MUTATE ?? '';
const module = MODULES[name];
if (module === undefined) throw new Error(`TUNNELSCOPE_MUTATE must be one of ${Object.keys(MODULES).join(', ')}`);

export default {
  packageManager: 'npm',
  plugins: ['./scripts/stryker-node-test-runner.mjs'],
  testRunner: 'node-test',
  nodeTest: { testFiles: module.tests },
  coverageAnalysis: 'perTest',
  mutate: module.mutate,
  // The sandbox builds its own dist from the mutated sources.
  buildCommand: 'tsc -p tsconfig.json',
  // test-output/filter-tshark and tshark-cache keep tshark's answers for the golden comparisons.
  ignorePatterns: ['dist', 'renderer', '/test-output/*', '!/test-output/filter-tshark', '!/test-output/tshark-cache', 'bench-output', 'reports', '*.tsbuildinfo'],
  concurrency: 1,
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 85, low: 85, break: null },
  // A mutant that loops forever is stopped by the timeout (the worker is restarted); tests take milliseconds.
  timeoutMS: 2000,
  // Each mutant loads the modules afresh in the same worker; a new worker now and then bounds its memory.
  maxTestRunnerReuse: 300,
  // The initial run loads the modules afresh for every test (per-test coverage of lazily built state).
  dryRunTimeoutMinutes: 30,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
