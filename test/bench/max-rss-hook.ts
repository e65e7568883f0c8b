// Loaded with `node --require` into a command the bench measures: at exit, the process's peak
// resident memory and its CPU time (all its threads) go to stderr as `max-rss-kib N cpu-us N`, for
// scale-figures.ts.
import * as fs from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  fs.writeSync(2, `max-rss-kib ${usage.maxRSS} cpu-us ${usage.userCPUTime + usage.systemCPUTime}\n`);
});
