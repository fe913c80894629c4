import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local, incl. AWS's fd00:ec2::254 metadata
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/**
 * Whether an address is loopback, private, link-local (cloud metadata), multicast or otherwise
 * not a public destination. IPv4-mapped IPv6 addresses are judged as IPv4.
 *
 * @example
 * isPrivateAddress('169.254.169.254'); // true
 */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1] as string, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A webhook target refused by the guard (never retryable). */
export class TargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefused';
  }
}

/**
 * Resolves a host and returns the address to connect to, refusing private targets unless
 * allowed. Connecting to the checked address (not resolving again) closes the DNS-rebinding gap.
 *
 * @example
 * const { address, family } = await resolveTarget('hooks.example.com', false);
 */
export async function resolveTarget(host: string, allowPrivate: boolean): Promise<{ address: string; family: 4 | 6 }> {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const literal = isIP(bare);
  const found =
    literal !== 0 ? [{ address: bare, family: literal }] : await lookup(bare, { all: true, verbatim: true });
  if (found.length === 0) throw new TargetRefused(`${host} does not resolve`);
  if (!allowPrivate) {
    const bad = found.find((f) => isPrivateAddress(f.address));
    if (bad)
      throw new TargetRefused(
        `${host} resolves to a private or local address (${bad.address}); set alerting.allowPrivateTargets to allow it`,
      );
  }
  const first = found[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
