/**
 * End to end with MSRP over TLS (`msrps`, Blink's default) and no relay on
 * either side: the callee listens with the state directory's self-signed
 * certificate (made by openssl), the caller connects straight to it and
 * takes that certificate unchecked, as Blink's msrplib does. SIP over TCP.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bothSecure, connect, say, sipChatRig } from './harness.js';

const { client } = sipChatRig();

describe('SIP chat with MSRP over TLS without a relay', () => {
  it('a relay-less callee of an msrps offer listens over TLS with a self-signed certificate: secure, messages both ways, hang-up', async () => {
    const alice = await client('alice1', { msrpTls: true });
    const bob = await client('bob1', { msrpTls: true });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const [got, delivered] = await say(alice, bob, 'over direct msrps', 'm1');
    expect(got).toMatchObject({ text: 'over direct msrps', encrypted: true });
    expect(delivered).toMatchObject({ id: 'm1' });
    const [back, deliveredBack] = await say(bob, alice, 'and back', 'm2');
    expect(back).toMatchObject({ text: 'and back', encrypted: true });
    expect(deliveredBack).toMatchObject({ id: 'm2' });
    const [a, b] = [alice.mark(), bob.mark()];
    alice.command({ cmd: 'hangup', to: bob.address });
    expect(await alice.next('session-ended', a)).toMatchObject({ by: 'local' });
    expect(await bob.next('session-ended', b)).toMatchObject({ by: 'remote' });
    // the callee's certificate was made in its state directory, the key private
    expect(statSync(join(bob.stateDir, 'msrp-tls', 'key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(bob.stateDir, 'msrp-tls', 'cert.pem')).isFile()).toBe(true);
  });
});
