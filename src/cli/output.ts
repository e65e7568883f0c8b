// Buffered stdout for commands that print a line per frame: one write per 64 KiB, not per line.
import * as fs from 'node:fs';

export class LineWriter {
  private pending = '';

  constructor(private readonly fd = 1) {}

  line(text: string): void {
    this.pending += text + '\n';
    if (this.pending.length > 65536) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    try {
      fs.writeSync(this.fd, this.pending);
    } catch (err) {
      // A closed pipe (`| head`) is the reader's choice, not an error of ours.
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      fs.writeSync(this.fd, this.pending);
    }
    this.pending = '';
  }
}
