// Buffered text output for commands that print a line per frame: one write per 64 KiB, not per line.
// Every line is made safe for a terminal (see terminal-text.ts): lines quote capture contents.
import { terminalSafe } from './terminal-text';
import { writeFully } from './write-fully';

export class LineWriter {
  private pending = '';

  constructor(private readonly fd: number) {}

  line(text: string): void {
    this.pending += terminalSafe(text) + '\n';
    if (this.pending.length > 65536) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(this.pending);
    this.pending = '';
    writeFully(this.fd, bytes, 0, bytes.length);
  }
}
