// The modules `npm run mutation -- MODULE` covers: the sources to mutate and the compiled unit tests that exercise
// them. Each list is the small set of fast, peer-free tests that reach the module: every mutant costs one
// process per covering test file, so a file that adds no assertion about the module only slows the run down.

/** Sources by glob (Stryker's syntax: `!` excludes). */
export const MODULES = {
  filter: {
    // plan.ts and ast.ts are types only (no mutants); filtered-pass.test.js runs the pass over the samples.
    mutate: ['src/filter/**/*.ts'],
    tests: [
      'dist/test/unit/filter.test.js',
      'dist/test/unit/filter-errors.test.js',
      'dist/test/unit/filter-boundaries.test.js',
      'dist/test/unit/filter-exact.test.js',
      'dist/test/unit/filter-corners.test.js',
      'dist/test/unit/filtered-pass.test.js',
      'dist/test/golden/filter-tshark.test.js',
    ],
  },
  switch: {
    // The pipeline a packet goes through: flow tables, matching, actions and the translation that applies them.
    mutate: ['src/switch/xlate.ts', 'src/switch/actions.ts', 'src/switch/flow-tables.ts', 'src/switch/conntrack.ts'],
    tests: [
      'dist/test/unit/switch-flows.test.js',
      'dist/test/unit/switch-tables.test.js',
      'dist/test/unit/switch-xlate.test.js',
      'dist/test/unit/switch-xlate-bridges.test.js',
      'dist/test/unit/switch-actions.test.js',
      'dist/test/unit/switch-conntrack.test.js',
      'dist/test/unit/switch-conntrack-states.test.js',
      'dist/test/unit/switch-replay.test.js',
    ],
  },
  overlay: {
    // VTEP learning and the per-frame analysis that feeds it.
    mutate: ['src/overlay/learning.ts', 'src/overlay/analyzer.ts'],
    // The model's own tests first (milliseconds), then the analysis of crafted and sample captures; the tshark
    // comparison (a 20,000-packet capture analysed per mutant, tshark's answer cached) last.
    tests: [
      // (tenants.test.js runs the built CLI, which the sandbox's plain tsc build leaves not executable.)
      'dist/test/unit/vtep-learning-model.test.js',
      'dist/test/unit/vtep-learning.test.js',
      'dist/test/unit/overlay-analyzer.test.js',
      'dist/test/unit/reassembly-tunnels.test.js',
      'dist/test/golden/tenants-tshark.test.js',
    ],
  },
  dissect: {
    // The tunnel dissectors (VXLAN, GRE/NVGRE, Geneve) and the tenant identity they produce.
    mutate: ['src/dissect/dissectors/tunnels.ts', 'src/dissect/tenant-id.ts'],
    // Fast unit tests first: a mutant stops at the first failing test, so the tshark comparisons mostly run
    // for mutants the unit tests miss.
    tests: [
      'dist/test/unit/dissect.test.js',
      'dist/test/unit/tenant-id.test.js',
      'dist/test/unit/reassembly-tunnels.test.js',
      'dist/test/golden/tunnel-headers-tshark.test.js',
      'dist/test/golden/tshark-field-definitions.test.js',
    ],
  },
};
