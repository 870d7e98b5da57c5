/**
 * Who opens the MSRP connection (RFC 6135, the SDP `a=setup` attribute as
 * RFC 4145 defines it; RFC 4975 section 8.1 without it: the offerer is
 * active).
 *
 *   offer \ answer   active            passive
 *   active           (invalid)         offerer connects
 *   passive          answerer connects (invalid)
 *   actpass          answerer connects offerer connects
 *
 * How the I/O host uses it: the `active` side opens a TCP (or TLS)
 * connection to the FIRST URI of the remote path (its relay, or the peer
 * itself) and sends first (an empty SEND binds the connection, as msrplib
 * does). The `passive` side never connects: it waits for the connection the
 * active side opens and sends every frame of the session on it (RFC 4975
 * connection reuse; AG's relay answers 481 to anything else, and a peer
 * behind NAT, like Blink's caller, listens nowhere). A passive side that
 * AUTHed at its own relay already has that connection: the far end reaches
 * it through the relay, and it sends on its relay connection.
 */

/** An `a=setup` value. */
export type SetupRole = 'active' | 'passive' | 'actpass';

/** Parses an `a=setup` value (case-insensitive); `holdconn` and unknown values give `undefined`. */
export function parseSetup(value: string | undefined): SetupRole | undefined {
  const v = value?.trim().toLowerCase();
  return v === 'active' || v === 'passive' || v === 'actpass' ? v : undefined;
}

/** The answer's `a=setup` for an offer's: `active` unless the offerer insists on being active (then `passive`). */
export function answerSetup(offer: SetupRole | undefined): 'active' | 'passive' {
  return (offer ?? 'active') === 'active' ? 'passive' : 'active';
}

/**
 * True when WE open the connection. `weOffered`: we sent the offer.
 * `undefined` for an impossible pair (both active or both passive).
 * A missing attribute counts as RFC 4975's default: offerer active, answerer passive.
 */
export function weConnect(local: SetupRole | undefined, remote: SetupRole | undefined, weOffered: boolean): boolean | undefined {
  const offer = (weOffered ? local : remote) ?? 'active';
  const answer = (weOffered ? remote : local) ?? (offer === 'active' ? 'passive' : 'active');
  let offererConnects: boolean;
  if (offer === 'active' && answer === 'passive') offererConnects = true;
  else if (offer === 'passive' && answer === 'active') offererConnects = false;
  else if (offer === 'actpass' && answer === 'active') offererConnects = false;
  else if (offer === 'actpass' && answer === 'passive') offererConnects = true;
  else return undefined;
  return weOffered ? offererConnects : !offererConnects;
}
