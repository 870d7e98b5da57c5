/**
 * The store's one error class. Every failure that reaches the client is a
 * {@link StoreError} with a stable code and, when a file is involved, its
 * path, so the message a user sees always says which file and what to do.
 * Messages never contain key material.
 */

/** Why a store operation failed. */
export type StoreErrorCode =
  /** A store file exists but cannot be understood; it is left untouched. */
  | 'corrupt'
  /** Another live process holds the state directory's lock. */
  | 'locked'
  /** A file or the directory cannot be read or written, or is open to other users. */
  | 'permission'
  /** Any other operating-system failure (disk full, I/O error). */
  | 'io'
  /** A file given to an import is malformed, or names nothing importable. */
  | 'bad-import'
  /** The account, contact, fingerprint or file asked for does not exist. */
  | 'not-found'
  /** The operation would replace something (a key, an export file) without being told to. */
  | 'exists'
  /** The caller passed a value the store cannot accept (a malformed fingerprint). */
  | 'invalid';

/** A store failure with a code and, where one is involved, the file. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  /** A stable machine-readable code. */
  readonly code: StoreErrorCode;
  /** The file (or directory) concerned, when there is one. */
  readonly file?: string;

  constructor(code: StoreErrorCode, message: string, file?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    if (file !== undefined) this.file = file;
  }
}

/** Maps an operating-system error on `file` to a {@link StoreError}. */
export function fromSystemError(error: unknown, file: string, doing: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new StoreError('permission', `cannot ${doing} ${file}: permission denied`, file, { cause: error });
    case 'ENOENT':
      return new StoreError('not-found', `cannot ${doing} ${file}: no such file or directory`, file, { cause: error });
    case 'ENOSPC':
      return new StoreError('io', `cannot ${doing} ${file}: the disk is full (nothing was changed)`, file, { cause: error });
    default:
      return new StoreError('io', `cannot ${doing} ${file}: ${reason}`, file, { cause: error });
  }
}
