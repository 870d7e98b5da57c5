/** Desktop notifications through notify-send: argument array, no shell, off with SOTTO_NO_NOTIFY=1, absent when not on PATH. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintNotification } from '../../src/terminal/sip-renderer.js';
import { desktopNotifier, findOnPath } from '../../src/terminal/sip-notify.js';

/** A directory with a fake notify-send that writes its arguments, one per line, to `args`. */
function fakeNotifySend(): { dir: string; args: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sotto-notify-'));
  const args = join(dir, 'args');
  const program = join(dir, 'notify-send');
  writeFileSync(program, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${args}.tmp" && mv "${args}.tmp" "${args}"\n`);
  chmodSync(program, 0o755);
  return { dir, args };
}

async function waitForFile(path: string): Promise<string> {
  for (let attempt = 0; attempt < 500 && !existsSync(path); attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
  return readFileSync(path, 'utf8');
}

describe('desktop notifications', () => {
  it('notify-send gets the texts as arguments after --, with no shell reading them', async () => {
    const { dir, args } = fakeNotifySend();
    const notify = desktopNotifier({ PATH: `${dir}:/usr/bin:/bin` });
    const { summary, body } = fingerprintNotification('sip:$(touch pwned)`id`;-x@evil.example');
    notify(summary, body);
    const written = (await waitForFile(args)).split('\n');
    expect(written.slice(0, 5)).toEqual(['--app-name=sotto', '--urgency=critical', '--', 'sotto: fingerprint changed', body]);
    expect(body).toContain('sip:$(touch&lt;U+0020&gt;pwned)`id`;-x@evil.example');
    expect(existsSync('pwned')).toBe(false);
  });

  it('SOTTO_NO_NOTIFY=1 turns notifications off', async () => {
    const { dir, args } = fakeNotifySend();
    desktopNotifier({ PATH: `${dir}:/usr/bin:/bin`, SOTTO_NO_NOTIFY: '1' })('s', 'b');
    // A second notifier that does run proves the first had time to, had it been on.
    const { dir: other, args: otherArgs } = fakeNotifySend();
    desktopNotifier({ PATH: `${other}:/usr/bin:/bin` })('s', 'b');
    await waitForFile(otherArgs);
    expect(existsSync(args)).toBe(false);
  });

  it('without notify-send on PATH nothing runs and nothing fails; relative PATH entries are never searched', () => {
    const { dir } = fakeNotifySend();
    expect(findOnPath('notify-send', '/nonexistent')).toBeUndefined();
    expect(findOnPath('notify-send', `relative:${dir}`)).toBe(join(dir, 'notify-send'));
    expect(() => desktopNotifier({ PATH: '/nonexistent' })('s', 'b')).not.toThrow();
  });
});
