/**
 * OTR protocol versions: the one type for them, and the one place that says
 * which of them this library implements.
 */

/** An OTR protocol version (Protocol-v3 "Protocol version"; otrv4.md). */
export type ProtocolVersion = 2 | 3 | 4;

/** Every protocol version, the preferred (highest) first. */
export const PROTOCOL_VERSIONS: readonly ProtocolVersion[] = [4, 3, 2];

/**
 * The versions this library speaks, highest first (the preferred first).
 * Version 4 is used only by an account with a v4 identity (its Ed448 key
 * and Client Profile); a policy may list versions the library does not
 * speak: those are never offered, started or accepted.
 */
export const IMPLEMENTED_VERSIONS = [4, 3, 2] as const satisfies readonly ProtocolVersion[];

/** A version this library speaks. */
export type ImplementedVersion = (typeof IMPLEMENTED_VERSIONS)[number];

/** True for 2, 3 and 4. */
export function isProtocolVersion(value: unknown): value is ProtocolVersion {
  return value === 2 || value === 3 || value === 4;
}

/** True when this library speaks `version`. */
export function isImplementedVersion(version: number): version is ImplementedVersion {
  return (IMPLEMENTED_VERSIONS as readonly number[]).includes(version);
}
