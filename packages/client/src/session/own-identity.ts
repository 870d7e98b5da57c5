/** Our own OTR identity as the chat hosts (echo network and SIP) set it up and report it. */
import { toHex, type Account, type AccountOptions, type Ed448KeyPair, type Ed448Point } from '@sotto/otr';
import type { Fingerprints } from './driver-events.js';
import type { Versions } from './policy-names.js';

/** Our OTRv4 keys, and our address as peers name us. */
export interface OwnV4Identity {
  readonly identityKey: Ed448KeyPair;
  readonly forgingKey: Ed448Point;
  /** Our stored client profile, if still usable (else the library makes one). */
  readonly profile?: Uint8Array | undefined;
  /** The DAKE binds both sides' addresses: ours must be the name the peer gives us. */
  readonly address: string;
}

/**
 * The `v4` option of our Account when version 4 is enabled (none otherwise):
 * our profile lists version 3 (with the transitional signature) only when v3
 * may be spoken.
 */
export function v4AccountOption(v4: OwnV4Identity | undefined, versions: Versions): Pick<AccountOptions, 'v4'> {
  if (v4 === undefined || !versions.has(4)) return {};
  return {
    v4: {
      identityKey: v4.identityKey,
      forgingKey: v4.forgingKey,
      address: v4.address,
      versions: versions.has(3) ? '34' : '4',
      ...(v4.profile === undefined ? {} : { profile: v4.profile }),
    },
  };
}

/** Our fingerprints by key family enabled: "3" (DSA, v2 and v3; 40 hex) when 2 or 3 is allowed, "4" (112 hex) when 4 is. */
export function ourFingerprints(account: Account, versions: Versions): Fingerprints {
  const v4 = account.ourV4Fingerprint;
  return {
    ...(versions.has(2) || versions.has(3) ? { '3': toHex(account.ourFingerprint) } : {}),
    ...(v4 !== undefined ? { '4': toHex(v4) } : {}),
  };
}

/** Our fingerprint for the highest version enabled, lower-case hex (40 digits for v2/v3, 112 for v4). */
export function highestFingerprint(account: Account, versions: Versions): string {
  const fingerprints = ourFingerprints(account, versions);
  return fingerprints['4'] ?? fingerprints['3'] ?? toHex(account.ourFingerprint);
}
