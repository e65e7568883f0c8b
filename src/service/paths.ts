// Where the built pieces live relative to the compiled service (dist/src/service).
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const RENDERER_DIR = path.join(REPO_ROOT, 'dist', 'renderer');
export const SAMPLES_DIR = path.join(REPO_ROOT, 'samples');
