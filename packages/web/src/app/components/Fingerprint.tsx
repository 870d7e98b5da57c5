/** A fingerprint in groups of eight (monospace), with a label. */
import { fingerprintGroups } from '../format.js';

export function Fingerprint({ label, hex }: { label: string; hex: string | null }) {
  return (
    <div class="fingerprint">
      <div class="fingerprint-label">{label}</div>
      {hex === null ? (
        <div class="fingerprint-none">none</div>
      ) : (
        <code class="fingerprint-groups">
          {fingerprintGroups(hex).map((group, index) => (
            <span key={index}>{group}</span>
          ))}
        </code>
      )}
    </div>
  );
}
