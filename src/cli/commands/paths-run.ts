// The work behind `tunnelscope paths`, loaded only when that command runs (see paths.ts).
import { CaptureSet } from '../../capture/capture-set';
import { analysePaths } from '../../overlay/paths-analysis';
import { pathsText } from '../../overlay/paths';
import { decodeAsOverrides } from '../decode-as-overrides';
import { openCapturesOrFail, reportCaptureProblem } from '../open-capture';

export interface PathsOptions {
  format: 'text' | 'json';
  decodeAs: string[];
}

export function runPaths(paths: string[], options: PathsOptions): void {
  const decodeAs = decodeAsOverrides(options.decodeAs);
  const set = openCapturesOrFail(paths, decodeAs, true) as CaptureSet;
  const report = analysePaths(set, decodeAs);
  set.close();
  process.stdout.write(options.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : pathsText(report));
  reportCaptureProblem(set);
}
