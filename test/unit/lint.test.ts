// The project passes its lint (ESLint with typescript-eslint, eslint.config.mjs) and its layer rules
// (dependency-cruiser, .dependency-cruiser.cjs), and both fail on a deliberate violation: a capture
// module importing the CLI, an import cycle, the renderer reaching past the service contract, an
// unused variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';

const ESLINT = path.join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js');
const DEPCRUISE = path.join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CRUISER_CONFIG = path.join(REPO, '.dependency-cruiser.cjs');

function run(args: string[], cwd: string, input?: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd, input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('ESLint passes on the whole project', () => {
  const r = run([ESLINT, '--max-warnings', '0', '.'], REPO);
  assert.equal(r.status, 0, r.out);
});

test('the layer rules pass: no upward import, no cycle, the renderer only through the service contract', () => {
  const r = run([DEPCRUISE, '--config', CRUISER_CONFIG, 'src', 'electron', 'renderer/src'], REPO);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /no dependency violations found/);
});

/** A throw-away tree with the project's layer rules and the given files. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-layers-'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node', jsx: 'react-jsx' } }));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

test('the layer rules fail on a deliberate violation', () => {
  const dir = tree({
    'src/cli/main.ts': "export const main = 1;\n",
    // capture imports the CLI: two rules broken (upward import, and src/cli from outside src/cli)
    'src/capture/violation.ts': "import { main } from '../cli/main';\nexport const v = main;\n",
    // a cycle inside one layer
    'src/dissect/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
    'src/dissect/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    // the renderer reaching into the overlay instead of the service contract
    'src/overlay/analyzer.ts': 'export class OverlayAnalyzer {}\n',
    'src/service/api.ts': 'export interface SessionInfo { id: string }\n',
    'renderer/src/View.tsx': "import { OverlayAnalyzer } from '../../src/overlay/analyzer';\nimport type { SessionInfo } from '../../src/service/api';\nexport const V = (s: SessionInfo) => [s, OverlayAnalyzer];\n",
  });
  try {
    const r = run([DEPCRUISE, '--config', CRUISER_CONFIG, 'src', 'renderer/src'], dir);
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /layer-capture-craft: src\/capture\/violation\.ts → src\/cli\/main\.ts/);
    assert.match(r.out, /cli-only-from-cli: src\/capture\/violation\.ts → src\/cli\/main\.ts/);
    assert.match(r.out, /no-cycles: src\/dissect\/a\.ts/);
    assert.match(r.out, /renderer-only-through-the-service-contract: renderer\/src\/View\.tsx → src\/overlay\/analyzer\.ts/);
    // Importing the contract itself is allowed.
    assert.doesNotMatch(r.out, /View\.tsx → src\/service\/api\.ts/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ESLint fails on a deliberate violation', () => {
  const r = run([ESLINT, '--stdin', '--stdin-filename', 'src/capture/violation.ts'], REPO, 'const unused = 1;\nexport const used = 2;\n');
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /'unused' is assigned a value but never used/);
});
