import { isIPv4, isIPv6 } from 'node:net';
import { InvalidEventPatternError, type PathSegment } from './errors';

export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** The addresses a `cidr` operator accepts, both ends inclusive. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

const IPV4_MAPPED_PREFIX = 0xffffn;

function ipv4ToBigInt(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(text: string): bigint {
  let groups = text;
  // A trailing dotted quad (`::ffff:10.0.0.1`) stands for the last two 16-bit groups.
  const lastColon = groups.lastIndexOf(':');
  const tail = groups.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToBigInt(tail);
    groups = `${groups.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = groups.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = rest === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(missing).fill('0'), ...right];
  return all.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

/**
 * Parses an IPv4 or IPv6 literal, or returns undefined. An IPv4-mapped IPv6 address
 * (`::ffff:a.b.c.d`) is read as the IPv4 address, as EventBridge's Java matcher does
 * (InetAddress turns mapped addresses into Inet4Address), so it falls in IPv4 CIDRs.
 * Zone ids (`fe80::1%eth0`) are not addresses EventBridge compares, so they do not parse.
 */
export function parseIp(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { family: 4, value: ipv4ToBigInt(text) };
  if (!isIPv6(text) || text.includes('%')) return undefined;
  const value = ipv6ToBigInt(text);
  if (value >> 32n === IPV4_MAPPED_PREFIX) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/**
 * Parses `address/bits`. Two EventBridge (Event Ruler `CIDR.cidr`) rules are kept on purpose so a
 * pattern accepted here is accepted by AWS: the mask must be below the address width (/32 and
 * /128 are refused; match one address with an exact string instead), and the range starts at the
 * address as written rather than at the network address, so `10.0.0.5/24` covers .5 to .255.
 */
export function parseCidr(text: string, path: readonly PathSegment[]): IpRange {
  const parts = text.split('/');
  const [address = '', bits = ''] = parts;
  if (parts.length !== 2) {
    throw new InvalidEventPatternError(path, `malformed CIDR "${text}": expected address/prefix-length`);
  }
  if (!/^\d+$/.test(bits)) {
    throw new InvalidEventPatternError(
      path,
      `malformed CIDR "${text}": the prefix length must be a non-negative integer`,
    );
  }
  const ip = parseIp(address);
  if (ip === undefined) {
    throw new InvalidEventPatternError(path, `malformed CIDR "${text}": "${address}" is not an IPv4 or IPv6 address`);
  }
  const width = ip.family === 4 ? 32 : 128;
  const maskBits = Number(bits);
  if (maskBits >= width) {
    throw new InvalidEventPatternError(
      path,
      `malformed CIDR "${text}": an IPv${ip.family} prefix length must be below ${width}`,
    );
  }
  const hostMask = (1n << BigInt(width - maskBits)) - 1n;
  return { family: ip.family, first: ip.value, last: ip.value | hostMask };
}

export function ipInRange(range: IpRange, text: string): boolean {
  const ip = parseIp(text);
  return ip !== undefined && ip.family === range.family && ip.value >= range.first && ip.value <= range.last;
}
