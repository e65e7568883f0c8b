// The machine's network interfaces with their addresses: `ip -j addr` where iproute2 is installed,
// else /sys/class/net (names, state and MAC only).
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { findExecutable } from './programs';

export interface InterfaceAddress {
  family: 'inet' | 'inet6';
  address: string;
  prefixLength: number;
}

export interface NetworkInterface {
  name: string;
  index: number;
  /** Operational state: "up", "down", "unknown" (loopback and tunnels often say unknown). */
  state: string;
  mac: string;
  /** iproute2's link type: "ether", "loopback", "none"... */
  linkType: string;
  mtu: number;
  addresses: InterfaceAddress[];
}

interface IpAddrJson {
  ifindex: number;
  ifname: string;
  operstate?: string;
  address?: string;
  link_type?: string;
  mtu?: number;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

export function listInterfaces(): NetworkInterface[] {
  const ip = findExecutable('ip');
  if (ip !== null) {
    try {
      const json = execFileSync(ip, ['-j', 'addr'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
      return (JSON.parse(json) as IpAddrJson[]).map(fromIpJson);
    } catch {
      // an iproute2 without -j: fall back to sysfs
    }
  }
  return fromSysfs();
}

function fromIpJson(entry: IpAddrJson): NetworkInterface {
  return {
    name: entry.ifname,
    index: entry.ifindex,
    state: (entry.operstate ?? 'unknown').toLowerCase(),
    mac: entry.address ?? '',
    linkType: entry.link_type ?? '',
    mtu: entry.mtu ?? 0,
    addresses: (entry.addr_info ?? [])
      .filter((a) => a.family === 'inet' || a.family === 'inet6')
      .map((a) => ({ family: a.family as 'inet' | 'inet6', address: a.local, prefixLength: a.prefixlen })),
  };
}

function fromSysfs(): NetworkInterface[] {
  const base = '/sys/class/net';
  let names: string[];
  try {
    names = fs.readdirSync(base);
  } catch {
    return [];
  }
  const read = (name: string, attr: string) => {
    try {
      return fs.readFileSync(`${base}/${name}/${attr}`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  return names
    .map((name) => ({
      name,
      index: Number(read(name, 'ifindex')) || 0,
      state: read(name, 'operstate') || 'unknown',
      mac: read(name, 'address'),
      linkType: '',
      mtu: Number(read(name, 'mtu')) || 0,
      addresses: [],
    }))
    .sort((a, b) => a.index - b.index);
}

/** One line per interface for `tunnelscope capture -D`: "3. veth0 (up) 192.0.2.1/24 fe80::1/64". */
export function interfaceLine(iface: NetworkInterface, position: number): string {
  const addresses = iface.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(' ');
  return `${position}. ${iface.name} (${iface.state})${iface.mac && iface.linkType !== 'loopback' ? ` ${iface.mac}` : ''}${addresses ? ` ${addresses}` : ''}`;
}
