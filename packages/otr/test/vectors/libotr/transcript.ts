/**
 * Typed access to transcript.json: wire traffic recorded from two libotr
 * users by transcript.c, with otr_parse's decoding of each complete encoded
 * message (generate.py). Tests and seed corpora read it through here.
 */
import { readFileSync } from 'node:fs';

/** Fields otr_parse printed for one encoded message (names as it prints them). */
export interface OtrParse {
  readonly message: string | null;
  readonly fields: Readonly<Record<string, string | readonly string[]>>;
}

/** One line of the recording. */
export type TranscriptRecord =
  | { readonly type: 'account'; readonly account: string; readonly instanceTag: number; readonly policy: number; readonly publicKey: string; readonly fingerprint: string }
  | { readonly type: 'step'; readonly label: string }
  | {
      readonly type: 'wire';
      readonly seq: number;
      readonly from: string;
      readonly to: string;
      readonly fragment: boolean;
      readonly text: string;
      readonly otrParse?: OtrParse;
    }
  | {
      readonly type: 'reassembled';
      readonly from: string;
      readonly to: string;
      readonly fragmentSeqs: readonly number[];
      readonly text: string;
      readonly otrParse?: OtrParse;
    }
  | {
      readonly type: 'received';
      readonly seq: number;
      readonly by: string;
      readonly internal: boolean;
      readonly shown?: string;
      readonly tlvs: readonly { readonly type: number; readonly value: string }[];
    }
  | { readonly type: 'event'; readonly account: string; readonly event: string; readonly [extra: string]: unknown };

/** The whole file. */
export interface Transcript {
  readonly description: string;
  readonly packages: Readonly<Record<string, string>>;
  readonly maxMessageSize: number;
  readonly runs: Readonly<Record<'v3' | 'v2' | 'tag', readonly TranscriptRecord[]>>;
}

/** Reads transcript.json. */
export function loadTranscript(): Transcript {
  return JSON.parse(readFileSync(new URL('./transcript.json', import.meta.url), 'utf8')) as Transcript;
}

/** Records of one type. */
export function recordsOf<K extends TranscriptRecord['type']>(records: readonly TranscriptRecord[], type: K): Extract<TranscriptRecord, { type: K }>[] {
  return records.filter((record): record is Extract<TranscriptRecord, { type: K }> => record.type === type);
}
