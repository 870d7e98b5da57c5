/**
 * OTR policies (Protocol-v3, "Policies"): which versions to allow, whether
 * encryption is required, whether to advertise with a whitespace tag and how
 * to react to tags and error messages. Presets follow libotr's names.
 */
import { IMPLEMENTED_VERSIONS, type ImplementedVersion, type ProtocolVersion } from '../version.js';

/** A policy: the allowed versions and a set of flags. */
export interface Policy {
  /**
   * The protocol versions allowed. Versions the library does not implement
   * yet (see IMPLEMENTED_VERSIONS) may be listed: they are never used.
   */
  readonly versions: ReadonlySet<ProtocolVersion>;
  readonly requireEncryption: boolean;
  readonly sendWhitespaceTag: boolean;
  readonly whitespaceStartAke: boolean;
  readonly errorStartAke: boolean;
}

const none: Policy = {
  versions: new Set<ProtocolVersion>(),
  requireEncryption: false,
  sendWhitespaceTag: false,
  whitespaceStartAke: false,
  errorStartAke: false,
};

/** Every version: the presets allow all, the library uses those it implements. */
const all: ReadonlySet<ProtocolVersion> = new Set<ProtocolVersion>([2, 3, 4]);

/**
 * Presets: NEVER (no OTR), MANUAL, OPPORTUNISTIC, ALWAYS, and the OTRv4
 * modes ("OTRv4 Modes"): OTRV3_COMPATIBLE speaks v4 and v3 (v4 preferred),
 * offering both in queries and whitespace tags; OTRV4_INTERACTIVE_ONLY
 * speaks the interactive v4 only and always encrypts (no v3, no
 * plaintext). A mode is a set of versions and flags like any policy, so it
 * can change at run time per account and per contact.
 */
export const Policies = {
  NEVER: none,
  MANUAL: { ...none, versions: all },
  OPPORTUNISTIC: { ...none, versions: all, sendWhitespaceTag: true, whitespaceStartAke: true, errorStartAke: true },
  ALWAYS: {
    ...none,
    versions: all,
    requireEncryption: true,
    sendWhitespaceTag: true,
    whitespaceStartAke: true,
    errorStartAke: true,
  },
  OTRV3_COMPATIBLE: { ...none, versions: new Set<ProtocolVersion>([3, 4]), sendWhitespaceTag: true, whitespaceStartAke: true, errorStartAke: true },
  OTRV4_INTERACTIVE_ONLY: {
    ...none,
    versions: new Set<ProtocolVersion>([4]),
    requireEncryption: true,
    sendWhitespaceTag: true,
    whitespaceStartAke: true,
    errorStartAke: true,
  },
} as const satisfies Record<string, Policy>;

/** The OTRv4 mode a policy amounts to: v4 with v3, v4 alone, or no v4 (undefined). */
export function policyMode(policy: Policy): 'otrv3-compatible' | 'otrv4-interactive-only' | undefined {
  if (!policy.versions.has(4)) return undefined;
  return policy.versions.has(3) ? 'otrv3-compatible' : 'otrv4-interactive-only';
}

/**
 * The versions a policy allows that the library implements, highest first:
 * what we offer, start and accept. Version 4 only when the account has a v4
 * identity (`withV4`).
 */
export function allowedVersions(policy: Policy, withV4: boolean): ImplementedVersion[] {
  return IMPLEMENTED_VERSIONS.filter((version) => policy.versions.has(version) && (withV4 || version !== 4));
}

/** True when the policy allows `version`, the library implements it and (for 4) the account has a v4 identity. */
export function allowsVersion(policy: Policy, version: number, withV4: boolean): boolean {
  return allowedVersions(policy, withV4).some((allowed) => allowed === version);
}

/** True when the policy allows any OTR the library speaks. */
export function allowsOtr(policy: Policy, withV4: boolean): boolean {
  return allowedVersions(policy, withV4).length > 0;
}
