// The service process: Electron main starts it with utilityProcess.fork (Node's fork works the same
// way, through process.send). All engine work happens here, off the window's main process.
import { callErrorOf } from '../src/service/http-server';
import { SAMPLES_DIR } from '../src/service/paths';
import { validateCall } from '../src/service/schemas';
import { TunnelscopeService } from '../src/service/service';
import { Channel, serveOverChannel } from './service-protocol';

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function parentChannel(): Channel {
  const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (port !== undefined) return { send: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (e) => l(e.data)) };
  if (process.send !== undefined) return { send: (m) => process.send!(m), onMessage: (l) => process.on('message', l) };
  throw new Error('the service process must be started by the Electron app (utilityProcess.fork) or fork()');
}

const service = new TunnelscopeService({ samplesDir: SAMPLES_DIR, configDir: process.env.TUNNELSCOPE_CONFIG_DIR });
serveOverChannel(service, parentChannel(), validateCall, callErrorOf);
// Without its parent there is nothing to serve: stop captures cleanly (their files are kept) and end.
process.on('disconnect', () => void service.closeAll().finally(() => process.exit(0)));
