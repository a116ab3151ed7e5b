// Outbound URL rules (SSRF): instance URLs and webhook targets must be http(s); link-local and
// cloud-metadata addresses are always refused; loopback and private ranges only when allowed.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export class UrlRefused extends Error {}

const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata',
  'instance-data',
  'metadata.azure.internal',
]);

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
function inV4(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  return (v4ToInt(ip) & mask) >>> 0 === (v4ToInt(base) & mask) >>> 0;
}

export type AddressClass = 'public' | 'private' | 'loopback' | 'link_local' | 'metadata' | 'unspecified';

export function classifyIp(ip: string): AddressClass {
  let v4 = isIP(ip) === 4 ? ip : null;
  const lower = ip.toLowerCase();
  const mapped = lower.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) v4 = mapped[1];
  if (v4) {
    if (v4 === '169.254.169.254' || v4 === '100.100.100.200') return 'metadata';
    if (inV4(v4, '169.254.0.0/16')) return 'link_local';
    if (inV4(v4, '127.0.0.0/8')) return 'loopback';
    if (inV4(v4, '0.0.0.0/8')) return 'unspecified';
    if (['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].some((c) => inV4(v4!, c)))
      return 'private';
    return 'public';
  }
  if (lower === '::1') return 'loopback';
  if (lower === '::') return 'unspecified';
  if (lower.startsWith('fd00:ec2::254')) return 'metadata';
  if (/^fe[89ab]/.test(lower)) return 'link_local';
  if (/^f[cd]/.test(lower)) return 'private';
  return 'public';
}

export interface UrlGuardOptions {
  allowPrivate: boolean;
}

/** Throws UrlRefused with a message fit for the API user when the URL may not be called. */
export async function checkOutboundUrl(raw: string, opts: UrlGuardOptions): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefused('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefused('must use http or https');
  if (url.username || url.password)
    throw new UrlRefused('must not carry credentials; use the credentials object');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (METADATA_HOSTS.has(host)) throw new UrlRefused('points at a cloud metadata service');
  const addresses = isIP(host)
    ? [host]
    : await lookup(host, { all: true, verbatim: true })
        .then((r) => r.map((a) => a.address))
        .catch(() => {
          throw new UrlRefused(`host "${host}" does not resolve`);
        });
  for (const addr of addresses) {
    const cls = classifyIp(addr);
    if (cls === 'metadata') throw new UrlRefused('points at a cloud metadata address');
    if (cls === 'link_local') throw new UrlRefused('points at a link-local address');
    if (cls === 'unspecified') throw new UrlRefused('points at an unspecified address');
    if ((cls === 'loopback' || cls === 'private') && !opts.allowPrivate) {
      throw new UrlRefused(
        `points at a ${cls} address; set IRONBRIDGE_ALLOW_PRIVATE_URLS=true for on-premise deployments`,
      );
    }
  }
  return url;
}
