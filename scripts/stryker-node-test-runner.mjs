// A StrykerJS test runner for the project's node:test files that runs every mutant in one long-lived process.
// The tap runner starts a node process per test file per mutant (about a second each on a loaded machine);
// here the compiled test files are required in-process, their describe/it/test calls collected through a
// stand-in for `node:test`, and each mutant reruns only the tests that cover it (per-test coverage: each
// `it` is a test). Before each mutant every compiled project module is loaded afresh with the mutant
// already active (about 0.1 s), as a new process would: module state such as the lazily built dissector
// registry, or a cache filled while another mutant was active, never carries from one mutant to the next.
// Supports what the mutation test sets use: describe, it, test, the `skip` option and async test bodies.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import { INSTRUMENTER_CONSTANTS as ID } from '@stryker-mutator/api/core';
import { DryRunStatus, TestStatus, toMutantRunResult } from '@stryker-mutator/api/test-runner';

const require = createRequire(import.meta.url);
const Module = require('node:module');

/** The namespace object the instrumented code reads (active mutant, coverage, hit counter). */
function strykerNamespace() {
  return (globalThis[ID.NAMESPACE] ??= {});
}

/** Collects the test tree that loading one test file declares. */
class Collector {
  constructor(file) {
    this.file = file;
    this.tests = [];
    this.path = [];
    this.skipped = false;
  }

  api() {
    const describe = (name, options, fn) => {
      if (typeof options === 'function') [fn, options] = [options, {}];
      const outerSkipped = this.skipped;
      this.path.push(String(name));
      this.skipped = outerSkipped || Boolean(options?.skip) || Boolean(options?.todo);
      try {
        fn?.({ name });
      } finally {
        this.path.pop();
        this.skipped = outerSkipped;
      }
    };
    const it = (name, options, fn) => {
      if (typeof options === 'function') [fn, options] = [options, {}];
      const title = [...this.path, String(name)].join(' > ');
      let id = `${this.file} > ${title}`;
      for (let n = 2; this.tests.some((t) => t.id === id); n++) id = `${this.file} > ${title} (${n})`;
      this.tests.push({
        id,
        name: title,
        fn,
        skip: this.skipped || Boolean(options?.skip) || Boolean(options?.todo) || fn === undefined,
      });
    };
    const unsupported = (what) => () => {
      throw new Error(`stryker-node-test-runner: node:test's ${what} is not supported`);
    };
    describe.skip = (name, fn) => describe(name, { skip: true }, fn);
    it.skip = (name, fn) => it(name, { skip: true }, fn);
    return {
      describe,
      suite: describe,
      it,
      test: it,
      before: unsupported('before'),
      after: unsupported('after'),
      beforeEach: unsupported('beforeEach'),
      afterEach: unsupported('afterEach'),
      mock: unsupported('mock'),
    };
  }
}

/** Runs one collected test body; resolves to an error message or undefined. */
async function runBody(test) {
  const context = { name: test.name, diagnostic() {}, skip() {}, todo() {} };
  try {
    await test.fn.call(context, context);
    return undefined;
  } catch (err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
}

export class NodeTestRunner {
  static inject = tokens(commonTokens.options, commonTokens.logger);

  constructor(options, log) {
    this.log = log;
    this.testFiles = (options.nodeTest?.testFiles ?? []).map((f) => path.resolve(f));
    this.tests = undefined;
  }

  capabilities() {
    return { reloadEnvironment: true };
  }

  /** Loads (or reloads, from scratch) every compiled project module the test files need. */
  load() {
    const root = process.cwd() + path.sep;
    for (const key of Object.keys(require.cache)) {
      if (key.startsWith(root) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
    }
    const originalLoad = Module._load;
    let collector;
    Module._load = function (request, parent, isMain) {
      if (request === 'node:test' || request === 'test') return collector.api();
      return originalLoad.call(this, request, parent, isMain);
    };
    const tests = [];
    try {
      for (const file of this.testFiles) {
        if (!existsSync(file)) {
          this.log.warn(`test file ${path.relative(process.cwd(), file)} does not exist (not built?); skipped`);
          continue;
        }
        collector = new Collector(path.relative(process.cwd(), file));
        require(file);
        tests.push(...collector.tests);
      }
    } finally {
      Module._load = originalLoad;
    }
    this.tests = tests;
  }

  async run(tests, disableBail) {
    const ns = strykerNamespace();
    const results = [];
    for (const test of tests) {
      const base = { id: test.id, name: test.name, fileName: test.id.split(' > ')[0], timeSpentMs: 0 };
      if (test.skip) {
        results.push({ ...base, status: TestStatus.Skipped });
        continue;
      }
      ns[ID.CURRENT_TEST_ID] = test.id;
      const start = performance.now();
      const failure = await runBody(test);
      base.timeSpentMs = Math.round(performance.now() - start);
      ns[ID.CURRENT_TEST_ID] = undefined;
      if (failure?.startsWith('Error: Stryker: Hit count limit reached')) {
        return { status: DryRunStatus.Timeout, reason: failure };
      }
      results.push(failure === undefined ? { ...base, status: TestStatus.Success } : { ...base, status: TestStatus.Failed, failureMessage: failure });
      if (failure !== undefined && !disableBail) break;
    }
    return { status: DryRunStatus.Complete, tests: results };
  }

  async dryRun(options) {
    const ns = strykerNamespace();
    ns[ID.ACTIVE_MUTANT] = undefined;
    // Each test runs in a fresh load, so its coverage includes what it initialises lazily (the dissector
    // registry is built by whichever test first needs it): a mutant there is then run against every test
    // that would see it. Code run while loading counts as static coverage.
    const results = [];
    try {
      this.load();
      for (const id of this.tests.map((t) => t.id)) {
        this.load();
        const result = await this.run(this.tests.filter((t) => t.id === id), true);
        if (result.status !== DryRunStatus.Complete) return result;
        results.push(...result.tests);
      }
    } catch (err) {
      return { status: DryRunStatus.Error, errorMessage: `loading the test files failed: ${err?.stack ?? err}` };
    }
    const failed = options.disableBail ? [] : results.filter((t) => t.status === TestStatus.Failed);
    return { status: DryRunStatus.Complete, tests: failed.length > 0 ? results.slice(0, results.indexOf(failed[0]) + 1) : results, mutantCoverage: ns[ID.MUTATION_COVERAGE_OBJECT] };
  }

  async mutantRun(options) {
    const ns = strykerNamespace();
    ns[ID.ACTIVE_MUTANT] = options.activeMutant.id;
    // A program a test starts (the CLI) runs the same instrumented code: it reads the mutant from here.
    process.env[ID.ACTIVE_MUTANT_ENV_VARIABLE] = options.activeMutant.id;
    ns[ID.HIT_LIMIT] = options.hitLimit;
    ns[ID.HIT_COUNT] = options.hitLimit === undefined ? undefined : 0;
    // Coverage is only read after the dry run; stop counting it.
    ns[ID.MUTATION_COVERAGE_OBJECT] = undefined;
    try {
      this.load();
      const wanted = options.testFilter === undefined ? undefined : new Set(options.testFilter);
      const tests = wanted === undefined ? this.tests : this.tests.filter((t) => wanted.has(t.id));
      return toMutantRunResult(await this.run(tests, options.disableBail));
    } catch (err) {
      if (String(err?.message).startsWith('Stryker: Hit count limit reached')) return { status: 'timeout', reason: err.message };
      return { status: 'error', errorMessage: String(err?.stack ?? err) };
    } finally {
      delete process.env[ID.ACTIVE_MUTANT_ENV_VARIABLE];
      ns[ID.ACTIVE_MUTANT] = undefined;
      ns[ID.HIT_LIMIT] = undefined;
      ns[ID.HIT_COUNT] = undefined;
    }
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'node-test', NodeTestRunner)];

export const strykerValidationSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    nodeTest: {
      type: 'object',
      properties: { testFiles: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    },
  },
};
