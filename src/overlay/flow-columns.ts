// The columns the analyzer keeps per flow and per pair in typed arrays: declared apart from the
// analyzer so that the stores and reports reading them (conversations, the tenants report) do not
// import the analyzer that imports them.

// Per-flow numbers (Float64Array, FlowNum.Stride per flow). "First" is the key's first side. A frame
// number's time sits FlowNum.TimeOfFrame slots after it. Every flow's: on captures of a new flow per
// frame or two, every byte here is fresh memory per flow, so the rarely used numbers are apart (FlowRare).
export const enum FlowNum {
  PacketsFirstToSecond = 0,
  BytesFirstToSecond = 1,
  PacketsSecondToFirst = 2,
  BytesSecondToFirst = 3,
  FirstFrameFromFirst = 4,
  LastFrameFromFirst = 5,
  FirstFrameFromSecond = 6,
  LastFrameFromSecond = 7,
  OuterBytes = 8,
  /** The times (seconds since the epoch) of the four frames above: a report needs no per-frame index. */
  FirstTimeFromFirst = 9,
  LastTimeFromFirst = 10,
  FirstTimeFromSecond = 11,
  LastTimeFromSecond = 12,
  Stride = 13,
  /** From a first/last frame slot to its time slot. */
  TimeOfFrame = FirstTimeFromFirst - FirstFrameFromFirst,
}

// Per-flow findings (Float64Array, FlowRare.Stride per flow), all 0 until the flow has one: the
// pages of flows without any are never written. A first frame is meaningful only when its count is not 0.
export const enum FlowRare {
  /** Tunnel packets over the MTU, the first one, the largest outer IP packet. */
  MtuFrames = 0,
  MtuFirstFrame = 1,
  MtuLargest = 2,
  /** Tunnel packets fragmented by the underlay (reassembled), the first one, the largest outer IP packet, fragments. */
  FragPackets = 3,
  FragFirstFrame = 4,
  FragLargest = 5,
  FragFragments = 6,
  Stride = 7,
}

// Per-flow references (Int32Array, FlowRef.Stride per flow), copied from the flow's pair.
export const enum FlowRef {
  Tenant = 0,
  EndpointFirst = 1,
  EndpointSecond = 2,
  Pair = 3,
  Stride = 4,
}

// A pair is a flow without its ports: tenant, VTEPs, MACs, inner addresses. Learning, address claims
// and VTEP bookkeeping are per pair, so a new TCP connection between known hosts costs one lookup.
export const enum PairRef {
  Tenant = 0,
  EndpointFirst = 1,
  EndpointSecond = 2,
  /** FDB slot of (second side's VTEP, tenant, first side's MAC): what frames first->second refresh. */
  FdbAtSecond = 3,
  FdbAtFirst = 4,
  /** Bit 0: the first side has sent; bit 1: the second. */
  Sent = 5,
  /** Bit d: frames from side d flood (to a group, or to a broadcast/multicast inner MAC). */
  Floods = 6,
  /** Links to the pair's eth and ip conversations (ConversationTable.linkAddresses), shared by its flows. */
  Conversations = 7,
  /** FDB slot of (first side's VTEP, tenant, first side's MAC): local learning by the sender of frames first->second. */
  LocalAtFirst = 9,
  LocalAtSecond = 10,
  Stride = 11,
}
