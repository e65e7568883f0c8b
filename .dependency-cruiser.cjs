// The layers of Tunnelscope, checked on every import (`npx depcruise src electron renderer/src`, run by
// test/unit/lint.test.ts): capture <- dissect <- filter <- overlay <- switch, report, export, live <-
// service <- cli, electron. A module imports its own layer or lower ones, never a higher one; nothing
// outside src/cli imports src/cli; src/ has no Electron or DOM; the renderer reaches the engine only
// through the service contract (src/service/api.ts); no import cycles. src/craft (packet building) sits
// with capture at the bottom, src/samples (the samples script) at the top with the CLI.

/** Layers from the bottom up; each may import only its own and lower ones. */
const LAYERS = [
  ['capture', 'craft'],
  ['dissect'],
  ['filter'],
  ['overlay'],
  ['switch', 'report', 'export', 'live'],
  ['service'],
  ['cli', 'samples'],
];

const folders = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.slice(0, -1).map((layer, rank) => ({
  name: `layer-${layer.join('-')}`,
  comment: `${layer.join(', ')} may not import a higher layer (${LAYERS.slice(rank + 1).flat().join(', ')})`,
  severity: 'error',
  from: { path: folders(layer) },
  to: { path: folders(LAYERS.slice(rank + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-cycles',
      comment: 'import cycles make load order matter and layers meaningless',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'cli-only-from-cli',
      comment: 'the command line is the top: nothing outside src/cli imports it',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'engine-without-electron-or-dom',
      comment: 'src/ runs in Node (CLI, workers, service): no Electron, React or DOM libraries',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '(^|/)node_modules/(electron|react|react-dom|ag-grid-community|ag-grid-react|uplot)/' },
    },
    {
      name: 'renderer-only-through-the-service-contract',
      comment: 'the renderer reaches the engine only through the service API types (src/service/api.ts)',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(src|electron)/', pathNot: '^src/service/api\\.ts$' },
    },
    {
      name: 'electron-only-through-the-service',
      comment: 'the Electron shell runs the service and nothing else of the engine',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^src/', pathNot: '^src/service/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
