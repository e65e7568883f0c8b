// Wireshark's "frame" pseudo-protocol: the fields every frame has (number, times, lengths, protocols).
import { defineFields, defineProtocol, registerProtocols } from '../fields';
import type { DissectorModule } from '../tables';

const FRAME = defineProtocol('frame', 'Frame', 'Frame');
// Wireshark's pseudo-protocols for problems (Dissection.setMalformed adds them to the tree): `_ws.malformed`
// marks a frame a dissector could not finish, `_ws.expert` an expert item (here: the malformed one).
const MALFORMED = defineProtocol('_ws.malformed', 'Malformed Packet', 'Malformed');
const EXPERT = defineProtocol('_ws.expert', 'Expert Info', 'Expert');

function register(): void {
  registerProtocols(FRAME, MALFORMED, EXPERT);
  defineFields('_ws.expert', { message: ['Message', 'string'], severity: ['Severity level', 'string'] });
  defineFields('frame', {
    number: ['Frame Number', 'uint'],
    len: ['Frame Length', 'uint'],
    cap_len: ['Capture Length', 'uint'],
    time_epoch: ['Epoch Time', 'string'],
    time_relative: ['Time since reference or first frame', 'string'],
    interface_id: ['Interface id', 'uint'],
    link_type: ['Link type', 'uint'],
    protocols: ['Protocols in frame', 'string'],
    direction: ['Direction', 'string'],
    capture: ['Capture (of several merged)', 'string'],
    capture_host: ['Capture host (its VTEP)', 'string'],
    capture_frame: ['Frame number in its capture', 'uint'],
  });
}

export const frameModule: DissectorModule = { name: 'frame', register, handoff: () => {} };
