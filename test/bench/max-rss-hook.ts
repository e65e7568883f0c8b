// Loaded with `node --require` into a command the bench measures: at exit, the process's peak
// resident memory (all its threads) goes to stderr as `max-rss-kib N`, for scale-figures.ts.
import * as fs from 'node:fs';

process.on('exit', () => {
  fs.writeSync(2, `max-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
