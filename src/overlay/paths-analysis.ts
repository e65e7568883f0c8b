// `paths` over a capture set: the group membership comes from the overlay analysis of the merged
// frames (IGMP/MLD reports); a group no report names has as members the hosts that received its frames.
import { CaptureAnalysis } from './analyze-capture';
import { OverlayAnalyzer } from './analyzer';
import { CaptureSet } from '../capture/capture-set';
import { DecodeAsOverrides } from '../dissect/dissection';
import { captureSetInfo } from './captures';
import { buildPathsReport, GroupMembers, PathsReport } from './paths';

export function analysePaths(set: CaptureSet, decodeAs: DecodeAsOverrides | null = null): PathsReport {
  const analysis = new CaptureAnalysis(set, { decodeAs });
  analysis.update(true);
  return pathsAfterAnalysis(set, analysis.analyzer);
}

/** The paths of a set whose merged frames `analyzer` has analysed. */
export function pathsAfterAnalysis(set: CaptureSet, analyzer: OverlayAnalyzer): PathsReport {
  const info = captureSetInfo(set);
  const { membership, endpoints } = analyzer;
  const groups: GroupMembers = new Map();
  for (const state of membership.all) {
    if (!state.reported || endpoints.isV6(state.group)) continue;
    groups.set(ipv4Number(endpoints.text(state.group)), state.members.filter((m) => !endpoints.isV6(m)).map((m) => ipv4Number(endpoints.text(m))));
  }
  addReceivers(info.correlation, info.set, groups);
  return buildPathsReport(info, groups);
}

function ipv4Number(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Groups no report named: their members are the hosts whose captures show their frames arriving. */
function addReceivers(k: ReturnType<typeof captureSetInfo>['correlation'], set: CaptureSet, groups: GroupMembers): void {
  const heard = new Map<number, Set<number>>();
  for (let t = 0; t < k.transmissions; t++) {
    for (let s = k.sightingStart[t]; s < k.sightingStart[t + 1]; s++) {
      const c = k.sightingCapture[s];
      const idx = set.members[c].file.index;
      const dst = idx.outerDst[k.sightingFrame[s]];
      if (dst >>> 28 !== 14 || groups.has(dst)) continue;
      const host = set.members[c].host;
      if (host === null) continue;
      let members = heard.get(dst);
      if (members === undefined) heard.set(dst, (members = new Set()));
      members.add(ipv4Number(host));
    }
  }
  for (const [group, members] of heard) groups.set(group, [...members]);
}
