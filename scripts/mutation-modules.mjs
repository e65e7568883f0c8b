// The modules `npm run mutation -- MODULE` covers: sources to mutate and the compiled tests that exercise them.

/** Sources by glob. */
export const MODULES = {
  filter: {
    mutate: ['src/filter/**/*.ts'],
    tests: ['dist/test/unit/filter.test.js', 'dist/test/unit/filter-errors.test.js'],
  },
  switch: {
    mutate: ['src/switch/**/*.ts'],
    tests: ['dist/test/unit/switch-flows.test.js', 'dist/test/unit/switch-replay.test.js'],
  },
  dissect: {
    mutate: ['src/dissect/**/*.ts'],
    tests: ['dist/test/unit/dissect.test.js', 'dist/test/unit/filter.test.js', 'dist/test/unit/craft.test.js', 'dist/test/golden/samples.test.js', 'dist/test/golden/tshark-protocols.test.js'],
  },
  overlay: {
    mutate: ['src/overlay/**/*.ts'],
    tests: ['dist/test/unit/tenants.test.js', 'dist/test/unit/vtep-learning.test.js', 'dist/test/golden/tenants-tshark.test.js', 'dist/test/golden/report-figures.test.js'],
  },
};
