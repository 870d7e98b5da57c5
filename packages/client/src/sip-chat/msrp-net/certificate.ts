/**
 * The self-signed certificate a callee without a relay listens for MSRP
 * over TLS with (Blink's default transport; Blink's caller does not check
 * the certificate, msrplib's default). Made once per state directory by
 * the `openssl` command (run without a shell) in a fresh private directory
 * beside the final one, then renamed into place, so that the pair appears
 * whole or not at all; the key file is 0600. Without `openssl` there is no
 * certificate, and such a call is answered 488 as before.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { MsrpNetError } from './errors.js';

/** The directory under the state directory that holds the pair. */
export const CERTIFICATE_DIR = 'msrp-tls';
export const KEY_FILE = 'key.pem';
export const CERT_FILE = 'cert.pem';
/** How long `openssl` may take. */
export const OPENSSL_TIMEOUT_MS = 30_000;
/** The largest key or certificate file read. */
const MAX_PEM_BYTES = 16 * 1024;

/** The command that makes the pair (a P-256 key, ten years). */
export function opensslArguments(keyFile: string, certFile: string): string[] {
  return [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '3650', '-subj', '/CN=sotto-msrp', '-keyout', keyFile, '-out', certFile,
  ];
}

function runOpenssl(args: readonly string[], command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: MsrpNetError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) resolve();
      else reject(error);
    };
    const child = spawn(command, args, { stdio: 'ignore', shell: false });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new MsrpNetError('cannot-listen', 'openssl did not make the MSRP TLS certificate in time'));
    }, OPENSSL_TIMEOUT_MS);
    child.once('error', (error: NodeJS.ErrnoException) => {
      finish(new MsrpNetError('cannot-listen', error.code === 'ENOENT'
        ? 'there is no openssl command to make a certificate with'
        : `openssl cannot be run (${error.code ?? 'error'})`));
    });
    child.once('exit', (code, signal) => {
      if (code === 0) finish();
      else finish(new MsrpNetError('cannot-listen', `openssl could not make the certificate (${code === null ? String(signal) : `exit ${code}`})`));
    });
  });
}

async function readPem(file: string): Promise<string> {
  const bytes = await readFile(file);
  if (bytes.length > MAX_PEM_BYTES) throw new MsrpNetError('cannot-listen', 'the MSRP TLS certificate files are too large');
  return bytes.toString('utf8');
}

async function load(dir: string): Promise<SecureContext | undefined> {
  let key: string;
  let cert: string;
  try {
    [key, cert] = await Promise.all([readPem(join(dir, KEY_FILE)), readPem(join(dir, CERT_FILE))]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error instanceof MsrpNetError ? error : new MsrpNetError('cannot-listen', 'cannot read the MSRP TLS certificate');
  }
  try {
    return createSecureContext({ key, cert });
  } catch {
    throw new MsrpNetError('cannot-listen', `the MSRP TLS certificate in ${dir} is not usable (remove the directory to make a new one)`);
  }
}

/**
 * The TLS context of the state directory's MSRP certificate, made first if
 * there is none. `command` is the openssl to run (tests name a missing one).
 */
export async function msrpServerContext(stateDir: string, command = 'openssl'): Promise<SecureContext> {
  const dir = join(stateDir, CERTIFICATE_DIR);
  const existing = await load(dir);
  if (existing !== undefined) return existing;
  let fresh: string;
  try {
    fresh = await mkdtemp(join(stateDir, `.${CERTIFICATE_DIR}-`)); // 0700
  } catch {
    throw new MsrpNetError('cannot-listen', 'cannot write the MSRP TLS certificate in the state directory');
  }
  try {
    const keyFile = join(fresh, KEY_FILE);
    await runOpenssl(opensslArguments(keyFile, join(fresh, CERT_FILE)), command);
    await chmod(keyFile, 0o600);
    try {
      await rename(fresh, dir);
    } catch (error) {
      // another process made it first: theirs is used
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new MsrpNetError('cannot-listen', 'cannot write the MSRP TLS certificate in the state directory');
      }
    }
  } catch (error) {
    throw error instanceof MsrpNetError ? error : new MsrpNetError('cannot-listen', 'cannot make the MSRP TLS certificate');
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
  const made = await load(dir);
  if (made === undefined) throw new MsrpNetError('cannot-listen', 'the MSRP TLS certificate is missing after it was made');
  return made;
}
