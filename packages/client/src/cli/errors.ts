/**
 * One clear sentence for every error a command can end with, and its exit
 * status: 2 for a bad command line, 1 for anything else. Never a stack trace.
 */
import { StoreError } from '@sotto/store';
import { OptionError } from './args.js';

/** What to print and which status to exit with. */
export interface ErrorReport {
  readonly message: string;
  readonly status: 1 | 2;
}

function where(error: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string }): string {
  if (error.address !== undefined && error.port !== undefined) return `${error.address}:${error.port}`;
  return error.hostname ?? error.address ?? 'the relay';
}

/** Describes a network error from connecting or listening. */
function describeSystemError(error: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string }): string | undefined {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `cannot reach the relay at ${where(error)}: nothing is listening there. Start one with "sotto relay", or leave out --relay to use (or start) the local one.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot find the host ${error.hostname ?? where(error)}: check the address`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${where(error)} (${error.code}): check the address and the network`;
    case 'EADDRINUSE':
      return `the address ${where(error)} is already in use (another relay, or a previous sotto still closing)`;
    case 'EADDRNOTAVAIL':
      return `the address ${where(error)} is not available on this machine`;
    case 'EACCES':
      return `not allowed to use ${where(error)} (ports below 1024 need privileges)`;
    default:
      return undefined;
  }
}

/** The message and exit status for an error that ended a command. */
export function describeError(error: unknown): ErrorReport {
  if (error instanceof OptionError) return { message: error.message, status: 2 };
  if (error instanceof StoreError) {
    const hint = error.code === 'locked' ? '' : error.file !== undefined && !error.message.includes(error.file) ? ` (${error.file})` : '';
    // 'invalid' is a value from the command line the store refused (a malformed fingerprint).
    return { message: `${error.message}${hint}`, status: error.code === 'invalid' ? 2 : 1 };
  }
  if (error instanceof Error) {
    const system = describeSystemError(error);
    return { message: system ?? error.message, status: 1 };
  }
  return { message: String(error), status: 1 };
}
