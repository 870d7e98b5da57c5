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

/** Presets: NEVER (no OTR), MANUAL, OPPORTUNISTIC, ALWAYS. */
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
} as const satisfies Record<string, Policy>;

/** The versions a policy allows that the library implements, highest first: what we offer, start and accept. */
export function allowedVersions(policy: Policy): ImplementedVersion[] {
  return IMPLEMENTED_VERSIONS.filter((version) => policy.versions.has(version));
}

/** True when the policy allows `version` and the library implements it. */
export function allowsVersion(policy: Policy, version: number): boolean {
  return allowedVersions(policy).some((allowed) => allowed === version);
}

/** True when the policy allows any OTR the library speaks. */
export function allowsOtr(policy: Policy): boolean {
  return allowedVersions(policy).length > 0;
}
