// Packet crafting: builders that produce frames byte-exactly, composable from the inside out:
//   const inner = ethernet({ src, dst, etherType: ETHERTYPE_IPV4,
//     payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: icmpEcho({ kind: 'request', id: 1, seq: 1 }) }) });
//   const frame = vxlan({ outer: { srcMac, dstMac, srcIp, dstIp }, vni: 101, inner });
export * from './bytes';
export * from './ethernet';
export * from './ip';
export * from './transport';
export * from './control';
export * from './tunnels';
