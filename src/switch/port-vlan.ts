// NORMAL's per-port VLAN rules (Open vSwitch's input_vid_is_valid, input_vid_to_vlan,
// output_vlan_to_vid and xbundle_includes_vlan): an access port carries one VLAN untagged, a trunk
// carries its VLANs tagged, a native port carries its native VLAN untagged (native-untagged) or
// tagged (native-tagged) and the others tagged. A port without VLAN settings trunks every VLAN.
import { PortVlan } from './bridge';

function trunks(port: PortVlan | undefined, vlan: number): boolean {
  if (!port) return true;
  if (port.mode === 'access') return false;
  // Native ports never trunk VLAN 0 (their untagged frames belong to the native VLAN).
  if (port.mode !== 'trunk' && vlan === 0 && port.tag !== 0) return false;
  return !port.trunks || port.trunks.includes(vlan);
}

/** Why a frame with this outer VID (0 = untagged) may not enter by the port, or null when it may. */
export function inputVidRefusal(port: PortVlan | undefined, vid: number, portName: string): string | null {
  if (!port) return null;
  if (port.mode === 'access') return vid ? `dropping VLAN ${vid} tagged packet received on port ${portName} configured as VLAN ${port.tag} access port` : null;
  if (port.mode !== 'trunk' && vid === 0) return null;
  return trunks(port, vid) ? null : `dropping VLAN ${vid} packet received on port ${portName} not configured for trunking VLAN ${vid}`;
}

/** The VLAN a frame belongs to inside the bridge. */
export function inputVlan(port: PortVlan | undefined, vid: number): number {
  if (!port || port.mode === 'trunk') return vid;
  if (port.mode === 'access') return port.tag ?? 0;
  return vid || (port.tag ?? 0);
}

/**
 * The VID a frame of `vlan` leaves the port with, or null when the port strips the tag (access, and
 * native-untagged for its native VLAN). VID 0 keeps a priority tag when the frame has a priority.
 */
export function outputVid(port: PortVlan | undefined, vlan: number): number | null {
  if (!port || port.mode === 'trunk' || port.mode === 'native-tagged') return vlan;
  if (port.mode === 'access') return null;
  return vlan === port.tag ? null : vlan;
}

/** Whether a flood of `vlan` goes out of the port. */
export function includesVlan(port: PortVlan | undefined, vlan: number): boolean {
  return (port !== undefined && port.mode !== 'trunk' && port.tag === vlan) || trunks(port, vlan);
}
