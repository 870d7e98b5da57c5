/** The terminal chat learns that an SMP command did nothing from the library's outcome (`refused`), not by asking status() first. */
import { PassThrough } from 'node:stream';
import { generateDsaKey } from '@sotto/otr';
import { describe, expect, it, vi } from 'vitest';
import { ChatHost } from '../../src/session/chat-host.js';
import { memoryTrustBook } from '../helpers/memory-trust.js';
import { TerminalChat } from '../../src/terminal/terminal-chat.js';

describe('terminal-chat calls status() to choose what to print', () => {
  it('/smp and /smp answer without a private conversation are told from the refusal, with no status pre-check', async () => {
    let output = '';
    const host = new ChatHost({
      privateKey: generateDsaKey(),
      instanceTag: 0x1111,
      trust: memoryTrustBook(),
      policy: 'manual',
      versions: new Set([2, 3]),
      maxMessageSize: 0,
      emit: (event) => chat.show(event),
      log: () => undefined,
    });
    host.attach(() => undefined);
    const status = vi.spyOn(host, 'status');
    const input = new PassThrough();
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const chat: TerminalChat = new TerminalChat({ host, address: () => '127.0.0.1:1000', stateDir: '/tmp/x', input, output: out, env: {} });
    const done = chat.run();
    input.end('/to 2000\n/otr start\n/smp lake\n/smp answer lake\n/quit\n');
    await done;
    expect(status).not.toHaveBeenCalled();
    expect(output.match(/No private conversation with 127\.0\.0\.1:2000: start one with \/otr start, then verify\./g)).toHaveLength(2);
    expect(output).not.toContain('Asking 127.0.0.1:2000 to verify');
    expect(output).not.toContain('Verification with 127.0.0.1:2000 stopped');
    host.close();
  });
});
