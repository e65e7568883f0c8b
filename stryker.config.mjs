// StrykerJS over one module (TUNNELSCOPE_MUTATE=filter|switch|dissect|overlay; `npm run mutation -- MODULE`
// sets it): the module's sources, the unit and golden tests that exercise them (compiled by the build
// command; the tap runner runs each file and reruns only the files that cover a mutant), and an incremental
// file per module so reruns only test what changed.

import { MODULES } from './scripts/mutation-modules.mjs';

const name = process.env.TUNNELSCOPE_MUTATE ?? '';
const module = MODULES[name];
if (module === undefined) throw new Error(`TUNNELSCOPE_MUTATE must be one of ${Object.keys(MODULES).join(', ')}`);

export default {
  packageManager: 'npm',
  testRunner: 'tap',
  tap: { testFiles: module.tests, forceBail: true },
  coverageAnalysis: 'perTest',
  mutate: module.mutate,
  // The sandbox builds its own dist from the mutated sources.
  buildCommand: 'tsc -p tsconfig.json',
  ignorePatterns: ['dist', 'renderer', 'test-output', 'bench-output', 'reports', '*.tsbuildinfo'],
  concurrency: 1,
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 85, low: 85, break: null },
  timeoutMS: 10000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
