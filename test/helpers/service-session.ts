// The service in-process, as the app's transports call it: open a capture and wait until it is indexed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TunnelscopeService } from '../../src/service/service';
import type { SessionInfo } from '../../src/service/api';

export function newService(): TunnelscopeService {
  return new TunnelscopeService({ configDir: fs.mkdtempSync(path.join(os.tmpdir(), 'ts-service-config-')) });
}

/** Opens `file` (or several captures read as one) and resolves with its session once indexing has finished. */
export function openIndexed(service: TunnelscopeService, file: string | string[], timeoutMs = 60_000): Promise<SessionInfo> {
  return new Promise((resolve, reject) => {
    let sessionId: string | null = null;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`${file}: not indexed within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (info: SessionInfo) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(info);
    };
    const unsubscribe = service.subscribe((event, data) => {
      if (event !== 'indexProgress') return;
      const progress = data as { sessionId: string; done: boolean; info: SessionInfo };
      if (progress.done && progress.sessionId === sessionId) finish(progress.info);
    });
    try {
      const info = typeof file === 'string' ? service.open(file) : service.open(...file);
      sessionId = info.sessionId;
      if (!info.indexing) finish(info);
    } catch (err) {
      clearTimeout(timer);
      unsubscribe();
      reject(err);
    }
  });
}
