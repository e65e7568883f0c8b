// geneve.pcapng: Geneve (UDP 6081) between two hypervisors, with one option TLV, carrying ARP and ping.
import { geneve } from '../craft';
import { INNER_ARP, INNER_ICMP, geneveChain } from './chains';
import { Host, arpReply, arpRequest, ping } from './inner-frames';
import { SampleCapture } from './sample-capture';

export const GENEVE_VNI = 5001;

export function geneveSample(): SampleCapture {
  const s = new SampleCapture('geneve.pcapng', 'pcapng', true);
  s.addInterface('underlay');
  const hv1 = { mac: '52:54:00:c8:00:01', ip: '192.0.2.1' };
  const hv2 = { mac: '52:54:00:c8:00:02', ip: '192.0.2.2' };
  const vmA: Host = { mac: '0a:58:0a:f4:00:01', ip: '10.244.0.1' };
  const vmB: Host = { mac: '0a:58:0a:f4:00:02', ip: '10.244.0.2' };
  let outerId = 0x6000;
  // OVN's option (class 0x0102, type 0x80): the logical ingress and egress port keys.
  const ovnOption = (ingress: number, egress: number) => ({
    optionClass: 0x0102,
    type: 0x80,
    data: Uint8Array.of(0, ingress >> 8, ingress & 0xff, egress),
  });
  const send = (fromHv1: boolean, inner: Uint8Array) => {
    const [a, b] = fromHv1 ? [hv1, hv2] : [hv2, hv1];
    return geneve({
      outer: { srcMac: a.mac, dstMac: b.mac, srcIp: a.ip, dstIp: b.ip, ipId: outerId++, dontFragment: true },
      vni: GENEVE_VNI,
      options: [fromHv1 ? ovnOption(1, 2) : ovnOption(2, 1)],
      inner,
    });
  };
  s.add({ bytes: send(true, arpRequest(vmA, vmB.ip)), chain: geneveChain(INNER_ARP), note: `VNI ${GENEVE_VNI}: ARP request`, key: 'arpRequest' }, 250);
  s.add({ bytes: send(false, arpReply(vmB, vmA)), chain: geneveChain(INNER_ARP), key: 'arpReply' });
  s.add({ bytes: send(true, ping(vmA, vmB, 'request', 0x42, 1)), chain: geneveChain(INNER_ICMP), key: 'pingRequest' }, 300);
  s.add({ bytes: send(false, ping(vmB, vmA, 'reply', 0x42, 1)), chain: geneveChain(INNER_ICMP), key: 'pingReply' });
  return s;
}
