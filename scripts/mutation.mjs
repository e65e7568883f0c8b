// npm run mutation -- MODULE [stryker options]: mutation testing of one module (stryker.config.mjs), niced to the
// lowest priority, one test process at a time: runs are long and the machine may be shared.
import { spawnSync } from 'node:child_process';
import { MODULES } from './mutation-modules.mjs';

const [name, ...extra] = process.argv.slice(2);
if (!(name in MODULES)) {
  console.error(`usage: npm run mutation -- ${Object.keys(MODULES).join('|')} [stryker options]`);
  process.exit(2);
}
const r = spawnSync('nice', ['-n', '19', 'npx', 'stryker', 'run', 'stryker.config.mjs', ...extra], {
  stdio: 'inherit',
  env: { ...process.env, TUNNELSCOPE_MUTATE: name },
});
process.exit(r.status ?? 1);
