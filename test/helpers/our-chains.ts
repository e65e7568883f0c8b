// Tunnelscope's protocol chain and malformed flag for every frame of a file.
import { CaptureFile } from '../../src/capture/capture-file';
import { CaptureIndexer } from '../../src/dissect/indexer';

export interface OurFrames {
  chains: string[];
  malformed: (string | null)[];
  problem: string | null;
  openError: string | null;
  /** The capture's link types (one per interface, without repeats). */
  linkTypes: number[];
}

export function ourChains(path: string, configure?: (indexer: CaptureIndexer) => void): OurFrames {
  let file: CaptureFile;
  try {
    file = CaptureFile.open(path);
  } catch (err) {
    return { chains: [], malformed: [], problem: null, openError: (err as Error).message, linkTypes: [] };
  }
  const indexer = new CaptureIndexer(file);
  configure?.(indexer);
  const chains: string[] = [];
  const malformed: (string | null)[] = [];
  indexer.run((ctx) => {
    chains.push(ctx.protocolChain());
    malformed.push(ctx.malformed);
  });
  file.close();
  return { chains, malformed, problem: file.problem, openError: null, linkTypes: [...new Set(file.interfaces.map((i) => i.linkType))] };
}
