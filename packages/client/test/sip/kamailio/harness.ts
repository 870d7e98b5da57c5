/**
 * Starts a private Kamailio (SIP registrar/proxy and MSRP relay) for one test
 * file, on free ports of 127.0.0.1, from kamailio.cfg next to this file.
 *
 *   const kam = await startKamailio({ sipAuth: true, tls: true });
 *   ... kam.sipTcp, kam.sipTls, kam.msrpRelay, kam.msrpsRelay, kam.caPem ...
 *   await kam.restart();   // the registrar loses its in-memory registrations
 *   await kam.stop();
 *
 * With `tls`, a CA and a server certificate for 127.0.0.1/localhost/sotto.test
 * are made with openssl in the instance's temporary directory, and a second
 * Kamailio serves the plain-TCP MSRP relay: once tls.so is loaded, Kamailio's
 * msrp module writes every source address as msrps:// (kamailio.cfg, WITH_TLS).
 *
 * Kamailio runs as whichever user runs the tests (root on CI and here): it is
 * given its own runtime directory (-Y) in the temporary directory, writes no
 * pid file, loads no control FIFO/socket module and listens on 127.0.0.1 only,
 * so nothing outside that directory is touched and parallel instances do not
 * meet. Each Kamailio leads its own process group, and stopping signals that
 * group only: with tls.so, Kamailio 5.6's children sometimes hang in shutdown
 * and would outlive their main process.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../helpers/free-port.js';

const run = promisify(execFile);
const CONFIG = new URL('./kamailio.cfg', import.meta.url);
/** The SIP domain the config serves (its port-less alias). */
export const SIP_DOMAIN = 'sotto.test';
/** The password every user has when `sipAuth` is on (kamailio.cfg, WITH_SIPAUTH). */
export const SIP_PASSWORD = 'secret';
/** MSRP relay AUTH credentials (kamailio.cfg MSRP_PASSWD / MSRP_REALM). */
export const MSRP_PASSWORD = 'msrp-secret';
export const MSRP_REALM = '127.0.0.1';
/** The log kept per instance: the most recent bytes only. */
const LOG_LIMIT = 512 * 1024;
/** How long a start may take before it is reported as failed (Kamailio is up in < 0.1 s). */
const START_LIMIT_MS = 15_000;

export interface KamailioOptions {
  /** Digest authentication for REGISTER/INVITE/MESSAGE/SUBSCRIBE (password "secret"). */
  readonly sipAuth?: boolean;
  /** SIP over TLS and a TLS MSRP relay, with a CA made at start. */
  readonly tls?: boolean;
  /** Changes the config text before it is written (for tests of this harness). */
  readonly editConfig?: (cfg: string) => string;
}

export interface Kamailio {
  /** SIP over TCP: host:port. */
  readonly sipTcp: { host: string; port: number };
  /** SIP over TLS (only with `tls`). */
  readonly sipTls: { host: string; port: number } | undefined;
  /** The plain-TCP MSRP relay: its AUTH URI is msrp://127.0.0.1:<port>;tcp. */
  readonly msrpRelay: { host: string; port: number };
  /** The TLS MSRP relay (only with `tls`): msrps://127.0.0.1:<port>;tcp. */
  readonly msrpsRelay: { host: string; port: number } | undefined;
  /** The CA certificate (PEM) that signed the server certificate (only with `tls`). */
  readonly caPem: string | undefined;
  /** The server certificate (PEM) and its SHA-256 fingerprint (openssl's AA:BB:... form), for tests that pin it (only with `tls`). */
  readonly certPem: string | undefined;
  readonly certFingerprint256: string | undefined;
  /** The SIP domain (users are sip:<name>@sotto.test). */
  readonly domain: string;
  stop(): Promise<void>;
  /** Stops and starts again on the same ports (registrations and relay sessions are lost). */
  restart(): Promise<void>;
  /** What the instances wrote (stderr and stdout), most recent LOG_LIMIT bytes each. */
  log(): string;
  /** The temporary directory of this instance (configs, certificates, runtime dirs); removed by stop(). */
  readonly dir: string;
}

/** Kamailio could not start: the message carries its log. */
export class KamailioStartError extends Error {
  constructor(message: string, readonly log: string) {
    super(`${message}\n--- kamailio log ---\n${log}`);
    this.name = 'KamailioStartError';
  }
}

interface Instance {
  readonly name: string;
  readonly defines: readonly string[];
  readonly ports: readonly number[];
  readonly cfgPath: string;
  readonly runDir: string;
  child: ChildProcess | undefined;
  log: string;
}

function template(cfg: string, values: Record<string, string>): string {
  let out = cfg;
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^#!substdef "!${name}![^!]*!g"$`, 'm');
    if (!line.test(out)) throw new Error(`kamailio.cfg has no substdef for ${name}`);
    out = out.replace(line, `#!substdef "!${name}!${value}!g"`);
  }
  return out;
}

async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const cert = join(dir, 'server.pem');
  const ext = join(dir, 'server.ext');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', caKey, '-out', ca, '-days', '2', '-subj', '/CN=sotto test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await run('openssl', ['req', ...ec, '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1']);
  await writeFile(ext, `basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${SIP_DOMAIN}\nextendedKeyUsage=serverAuth\n`);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  return { ca, cert, key };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => { socket.destroy(); resolve(false); });
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startInstance(instance: Instance, allLogs: () => string): Promise<void> {
  instance.log = '';
  const args = ['-f', instance.cfgPath, '-DD', '-E', '-Y', instance.runDir, '-m', '32', '-M', '4',
    ...instance.defines.flatMap((d) => ['-A', d])];
  // its own process group, so that stopping reaches the children it forks
  const child = spawn('kamailio', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  instance.child = child;
  const append = (chunk: Buffer) => {
    instance.log += chunk.toString('utf8');
    if (instance.log.length > LOG_LIMIT) instance.log = instance.log.slice(-LOG_LIMIT);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exited: string | undefined;
  child.once('error', (error) => { exited = `cannot run kamailio: ${error.message}`; });
  child.once('exit', (code, signal) => { exited ??= `kamailio (${instance.name}) exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`; });
  const deadline = Date.now() + START_LIMIT_MS;
  for (const port of instance.ports) {
    for (;;) {
      if (exited !== undefined) throw new KamailioStartError(exited, allLogs());
      if (await canConnect(port)) break;
      if (Date.now() > deadline) {
        await stopInstance(instance);
        throw new KamailioStartError(`kamailio (${instance.name}) did not listen on 127.0.0.1:${port}`, allLogs());
      }
      await pause(25);
    }
  }
}

/** Signals the process group led by `pid` (the Kamailio we spawned and its children); false once it is gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function stopInstance(instance: Instance): Promise<void> {
  const child = instance.child;
  instance.child = undefined;
  const pid = child?.pid;
  if (child === undefined || pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(pid, 'SIGTERM');
    // with tls.so loaded, Kamailio 5.6's children can hang in shutdown
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 1_000);
    await exited;
    clearTimeout(timer);
  }
  // a main process that exits by itself has waited for its children; children
  // still there now hang (the group is ours: nothing else is in it)
  signalGroup(pid, 'SIGKILL');
}

export async function startKamailio(options: KamailioOptions = {}): Promise<Kamailio> {
  const dir = await mkdtemp(join(tmpdir(), 'sotto-kamailio-'));
  const original = await readFile(CONFIG, 'utf8');
  const cfg = options.editConfig === undefined ? original : options.editConfig(original);
  const host = '127.0.0.1';
  const sipPort = await freePort();
  const msrpPort = await freePort();
  const sipTlsPort = options.tls === true ? await freePort() : 0;
  const msrpsPort = options.tls === true ? await freePort() : 0;
  const auth = options.sipAuth === true ? ['WITH_SIPAUTH'] : [];
  const instances: Instance[] = [];
  const common = { SIP_DOMAIN, SIP_PORT: String(sipPort), MSRP_MIN_EXPIRES: '60', MSRP_MAX_EXPIRES: '3600' };

  let caPem: string | undefined;
  let certPem: string | undefined;
  let certFingerprint256: string | undefined;
  if (options.tls === true) {
    const files = await makeCertificates(dir);
    caPem = await readFile(files.ca, 'utf8');
    certPem = await readFile(files.cert, 'utf8');
    const { stdout } = await run('openssl', ['x509', '-in', files.cert, '-noout', '-fingerprint', '-sha256']);
    certFingerprint256 = /=([0-9A-F:]+)/.exec(stdout)?.[1];
    const tlsCfg = join(dir, 'kamailio-tls.cfg');
    await writeFile(tlsCfg, template(cfg, {
      ...common, SIP_TLS_PORT: String(sipTlsPort), MSRP_PORT: String(msrpsPort), MSRP_ADDR: `${host}:${msrpsPort}`,
      MSRP_SCHEME: 'msrps', TLS_CERT: files.cert, TLS_KEY: files.key,
    }));
    instances.push({ name: 'sip+msrps', defines: ['WITH_TLS', ...auth], ports: [sipPort, sipTlsPort, msrpsPort], cfgPath: tlsCfg, runDir: join(dir, 'run-tls'), child: undefined, log: '' });
    const relayCfg = join(dir, 'kamailio-msrp.cfg');
    await writeFile(relayCfg, template(cfg, { ...common, SIP_PORT: '1', MSRP_PORT: String(msrpPort), MSRP_ADDR: `${host}:${msrpPort}` }));
    instances.push({ name: 'msrp', defines: ['MSRP_ONLY'], ports: [msrpPort], cfgPath: relayCfg, runDir: join(dir, 'run-msrp'), child: undefined, log: '' });
  } else {
    const plainCfg = join(dir, 'kamailio.cfg');
    await writeFile(plainCfg, template(cfg, { ...common, MSRP_PORT: String(msrpPort), MSRP_ADDR: `${host}:${msrpPort}` }));
    instances.push({ name: 'sip+msrp', defines: auth, ports: [sipPort, msrpPort], cfgPath: plainCfg, runDir: join(dir, 'run'), child: undefined, log: '' });
  }
  const { mkdir } = await import('node:fs/promises');
  for (const instance of instances) await mkdir(instance.runDir, { recursive: true });

  const log = () => instances.map((i) => `=== ${i.name} ===\n${i.log}`).join('\n');
  const stopAll = async () => { for (const instance of instances) await stopInstance(instance); };
  const startAll = async () => {
    try {
      for (const instance of instances) await startInstance(instance, log);
    } catch (error) {
      await stopAll();
      throw error;
    }
  };
  try {
    await startAll();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    sipTcp: { host, port: sipPort },
    sipTls: options.tls === true ? { host, port: sipTlsPort } : undefined,
    msrpRelay: { host, port: msrpPort },
    msrpsRelay: options.tls === true ? { host, port: msrpsPort } : undefined,
    caPem,
    certPem,
    certFingerprint256,
    domain: SIP_DOMAIN,
    log,
    dir,
    async stop() {
      await stopAll();
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await stopAll();
      await startAll();
    },
  };
}
