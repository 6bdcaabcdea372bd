import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may deliver (docs/integrations.md, "Webhooks"): the guard against server-side
 * request forgery. A URL names a host; what counts is every address the host resolves to at the
 * moment of the connection (the sender checks them in its DNS lookup, so a name that resolves to
 * a public address when saved and to 169.254.169.254 later is still refused).
 */

/** Refused everywhere, even locally: the cloud metadata endpoints and the link-local ranges they live in. */
const NEVER = new BlockList();
NEVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER.addSubnet('fe80::', 10, 'ipv6');
NEVER.addAddress('fd00:ec2::254', 'ipv6');
NEVER.addSubnet('0.0.0.0', 8, 'ipv4');
NEVER.addAddress('::', 'ipv6');

/** Refused in AWS: anything not on the public internet (the VPC, loopback, carrier-grade NAT, multicast...). */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::1', 128], ['fc00::', 7], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96]] as const) NOT_PUBLIC.addSubnet(net, bits, 'ipv6');

/** What a stage allows: in AWS only public `https`; the local runtime also loopback (test receivers) and `http`. */
export interface DeliveryRules {
  allowLoopback: boolean;
}

export const AWS_RULES: DeliveryRules = { allowLoopback: false };
export const LOCAL_RULES: DeliveryRules = { allowLoopback: true };

const isLoopback = (address: string) => (isIP(address) === 4 ? address.startsWith('127.') : address === '::1');

/** Why a resolved address may not be delivered to, or undefined when it may. */
export function addressRefusal(address: string, rules: DeliveryRules): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (NEVER.check(address, type)) return `${address} is a link-local or metadata address`;
  if (rules.allowLoopback && isLoopback(address)) return undefined;
  if (NOT_PUBLIC.check(address, type)) return `${address} is not a public address`;
  return undefined;
}

/** Why a webhook URL is refused as written (scheme, credentials, a literal address), or undefined. */
export function urlRefusal(text: string, rules: DeliveryRules): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Expected an absolute URL such as https://example.com/hooks/crm';
  }
  if (url.protocol !== 'https:' && !(rules.allowLoopback && url.protocol === 'http:')) return 'Webhooks deliver over https only';
  if (url.username || url.password) return 'Put no credentials in the URL: deliveries are signed instead';
  if (url.hash) return 'A webhook URL has no fragment';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) return addressRefusal(host, rules);
  if (!rules.allowLoopback && (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || !host.includes('.'))) return `${host} is not a public host name`;
  return undefined;
}
