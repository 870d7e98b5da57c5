/**
 * The three policies a user chooses by name (irssi-otr and Pidgin offer the
 * same three), turned into the library's policy for the protocol versions
 * the command line allows.
 */
import { Policies, type Policy, type ProtocolVersion } from '@sotto/otr';

/** A policy by name: manual, opportunistic or always (REQUIRE_ENCRYPTION). */
export type PolicyName = 'manual' | 'opportunistic' | 'always';

/** Which OTR versions may be used. */
export type Versions = ReadonlySet<ProtocolVersion>;

const PRESETS: Record<PolicyName, Policy> = {
  manual: Policies.MANUAL,
  opportunistic: Policies.OPPORTUNISTIC,
  always: Policies.ALWAYS,
};

/** True for the three policy names. */
export function isPolicyName(text: string): text is PolicyName {
  return text === 'manual' || text === 'opportunistic' || text === 'always';
}

/** The library policy for `name`, restricted to `versions`. */
export function policyFor(name: PolicyName, versions: Versions): Policy {
  return { ...PRESETS[name], versions };
}
