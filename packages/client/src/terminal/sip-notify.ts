/**
 * Desktop notifications through `notify-send` (libnotify), where it exists
 * on PATH: spawned without a shell from an argument array (the texts after
 * `--`, so none passes for an option), detached from the chat (never
 * awaited, output ignored, killed after a few seconds, failures dropped),
 * one at a time (a flood of alerts starts no flood of processes). Turned
 * off by SOTTO_NO_NOTIFY=1. The caller passes texts already made safe
 * (sip-renderer.ts notificationText).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Shows a notification, or does nothing. Never throws, never blocks. */
export type Notifier = (summary: string, body: string) => void;

/** The longest a notify-send process may run. */
const NOTIFY_TIMEOUT_MS = 5000;

/** The absolute path of an executable `name` on `path`, or undefined. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const directory of (path ?? '').split(delimiter)) {
    // A relative PATH entry would run whatever the current directory holds.
    if (directory === '' || !isAbsolute(directory)) continue;
    const candidate = join(directory, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there, or not executable.
    }
  }
  return undefined;
}

/** The notifier for `env`: notify-send if on PATH and not turned off, else one that does nothing. */
export function desktopNotifier(env: NodeJS.ProcessEnv): Notifier {
  const off: Notifier = () => undefined;
  if (env.SOTTO_NO_NOTIFY !== undefined && env.SOTTO_NO_NOTIFY !== '' && env.SOTTO_NO_NOTIFY !== '0') return off;
  const program = findOnPath('notify-send', env.PATH);
  if (program === undefined) return off;
  let running = false;
  return (summary, body) => {
    if (running) return;
    try {
      const child = spawn(program, ['--app-name=sotto', '--urgency=critical', '--', summary, body], {
        shell: false,
        stdio: 'ignore',
        timeout: NOTIFY_TIMEOUT_MS,
        env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      });
      running = true;
      const done = (): void => {
        running = false;
      };
      child.once('error', done);
      child.once('exit', done);
      child.unref();
    } catch {
      running = false;
    }
  };
}
