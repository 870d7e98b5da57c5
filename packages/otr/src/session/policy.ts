/**
 * OTR policies (Protocol-v3, "Policies"): which versions to allow, whether
 * encryption is required, whether to advertise with a whitespace tag and how
 * to react to tags and error messages. Presets follow libotr's names.
 */

/** A policy: a set of flags. */
export interface Policy {
  readonly allowV2: boolean;
  readonly allowV3: boolean;
  readonly requireEncryption: boolean;
  readonly sendWhitespaceTag: boolean;
  readonly whitespaceStartAke: boolean;
  readonly errorStartAke: boolean;
}

const none: Policy = {
  allowV2: false,
  allowV3: false,
  requireEncryption: false,
  sendWhitespaceTag: false,
  whitespaceStartAke: false,
  errorStartAke: false,
};

/** Presets: NEVER (no OTR), MANUAL, OPPORTUNISTIC, ALWAYS. */
export const Policies = {
  NEVER: none,
  MANUAL: { ...none, allowV2: true, allowV3: true },
  OPPORTUNISTIC: { ...none, allowV2: true, allowV3: true, sendWhitespaceTag: true, whitespaceStartAke: true, errorStartAke: true },
  ALWAYS: {
    ...none,
    allowV2: true,
    allowV3: true,
    requireEncryption: true,
    sendWhitespaceTag: true,
    whitespaceStartAke: true,
    errorStartAke: true,
  },
} as const satisfies Record<string, Policy>;

/** The versions a policy allows, highest first. */
export function allowedVersions(policy: Policy): (2 | 3)[] {
  const versions: (2 | 3)[] = [];
  if (policy.allowV3) versions.push(3);
  if (policy.allowV2) versions.push(2);
  return versions;
}

/** True when the policy allows any OTR at all. */
export function allowsOtr(policy: Policy): boolean {
  return policy.allowV2 || policy.allowV3;
}
