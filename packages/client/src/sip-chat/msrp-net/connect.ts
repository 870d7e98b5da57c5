/**
 * Opening an MSRP connection (RFC 4975 section 6): TCP for `msrp`, TLS for
 * `msrps`, to the first URI of a path. TLS verifies against the system's
 * CAs plus the account's extra ones, and the host name of the URI; a
 * connection straight to the peer (no relay in between) may instead take
 * the peer's self-signed certificate unchecked (`verify: false`), as
 * msrplib does: RFC 4975 binds no name to such a hop, and OTR protects what
 * travels on it end to end.
 */
import { readFileSync } from 'node:fs';
import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import { effectivePort, type MsrpUri } from '@sotto/msrp';
import { MsrpNetError } from './errors.js';

/** Extra certificate authorities for TLS, besides the system's. */
export interface MsrpTlsOptions {
  readonly caFile?: string | undefined;
  readonly caPem?: string | undefined;
  /** Check the server's certificate (default); false: any certificate, for a direct peer hop only. */
  readonly verify?: boolean | undefined;
}

/** How long connecting (and the TLS handshake) may take. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** The CA list for TLS: undefined (the system's) or the system's plus the extra ones. */
export function tlsCa(options: MsrpTlsOptions | undefined): string[] | undefined {
  const extra: string[] = [];
  if (options?.caFile !== undefined) {
    try {
      extra.push(readFileSync(options.caFile, 'utf8'));
    } catch {
      throw new MsrpNetError('ca-file', 'cannot read the CA file');
    }
  }
  if (options?.caPem !== undefined) extra.push(options.caPem);
  return extra.length === 0 ? undefined : [...rootCertificates, ...extra];
}

/** Where a URI points: host (without IPv6 brackets), port, TLS or not. */
export function endpointOf(uri: MsrpUri): { host: string; port: number; tls: boolean } {
  const host = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
  return { host, port: effectivePort(uri), tls: uri.scheme === 'msrps' };
}

/** Connects to `uri`; resolves once connected (TLS: verified, unless `verify` is false). */
export function connectMsrp(uri: MsrpUri, tls: MsrpTlsOptions | undefined, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const { host, port, tls: secure } = endpointOf(uri);
    const verify = tls?.verify !== false;
    let ca: string[] | undefined;
    try {
      ca = secure && verify ? tlsCa(tls) : undefined;
    } catch (error) {
      reject(error instanceof Error ? error : new MsrpNetError('ca-file', 'cannot read the CA file'));
      return;
    }
    let settled = false;
    const socket: Socket | TLSSocket = secure
      ? tlsConnect({ host, port, ca, rejectUnauthorized: verify, servername: isIP(host) === 0 ? host : undefined }, () => done())
      : tcpConnect({ host, port }, () => done());
    const timer = setTimeout(() => fail(new MsrpNetError('connect-failed', `no MSRP connection to ${host}:${port} in time`)), timeoutMs);
    function done(): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      socket.setNoDelay(true);
      resolve(socket);
    }
    function fail(error: MsrpNetError): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    function onError(error: NodeJS.ErrnoException): void {
      const untrusted = secure && (error.code?.startsWith('ERR_TLS') === true || /CERT|SIGNATURE|ISSUER|SELF_SIGNED/.test(error.code ?? ''));
      fail(new MsrpNetError(untrusted ? 'tls-untrusted' : 'connect-failed', untrusted ? `the MSRP server's certificate did not verify (${error.code ?? 'TLS error'})` : `cannot connect to MSRP ${host}:${port} (${error.code ?? 'error'})`));
    }
    function onClose(): void {
      fail(new MsrpNetError('connect-failed', `the MSRP connection to ${host}:${port} closed while connecting`));
    }
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
