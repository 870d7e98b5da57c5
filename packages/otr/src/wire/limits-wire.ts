/** Sizes fixed by the wire format. */

/** Largest MPI in the 1536-bit group: 192 bytes. SMP exponents and hashes are smaller. */
export const MODP_MPI_BYTES = 192;
