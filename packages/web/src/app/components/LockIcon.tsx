/** Blink's lock, drawn as SVG: open and grey without OTR, closed and orange, green or red with it. Its colour comes from the style sheet (class). */
import type { Lock, MessageLock } from '../../protocol/index.js';

const CLASS: Readonly<Record<Lock | MessageLock, string>> = {
  none: 'lock-none',
  plaintext: 'lock-none',
  unverified: 'lock-unverified',
  'encrypted-unverified': 'lock-unverified',
  verified: 'lock-verified',
  'encrypted-verified': 'lock-verified',
  'fingerprint-changed': 'lock-changed',
};

export function LockIcon({ lock, label }: { lock: Lock | MessageLock; label: string }) {
  const open = lock === 'none' || lock === 'plaintext';
  return (
    <svg class={`lock ${CLASS[lock]}`} data-lock={lock} viewBox="0 0 16 16" role="img" aria-label={label}>
      <title>{label}</title>
      <path class="shackle" d={open ? 'M5 7V4.5a3 3 0 0 1 5.8-1' : 'M5 7V4.5a3 3 0 0 1 6 0V7'} />
      <rect class="body" x="3" y="7" width="10" height="8" rx="1.5" />
      {lock === 'fingerprint-changed' ? <path class="mark" d="M8 9v3M8 13.2v.3" /> : null}
    </svg>
  );
}
