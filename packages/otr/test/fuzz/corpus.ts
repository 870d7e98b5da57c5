/**
 * Seed corpora for the fuzz targets, built from messages recorded from other
 * implementations: the libotr wire transcript (test/vectors/libotr) and
 * python-potr's signature payloads and AKE values (test/vectors/potr).
 *
 * Every complete `?OTR:` message of the transcript is decoded from base64,
 * so byte mutations act on the binary message; from those bytes come the
 * bodies of each message type, and from the recorded decryptions the data
 * payloads, TLVs and SMP values. Text targets get the wire texts themselves
 * (fragments, queries, error messages, whitespace tags) and their base64.
 */
import { readFileSync } from 'node:fs';
import { decodeDataMessage, decodeHeader, encodeDataPayload, encodeTlvs, isDecodeError, MESSAGE_TYPE, type Tlv } from '../../src/wire/index.js';
import { loadTranscript, recordsOf, type TranscriptRecord } from '../vectors/libotr/transcript.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const utf8 = new TextEncoder();

/** A 4-byte length and the bytes (an MPI or DATA field). */
function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/** Removes repeated entries (by content), keeping the first. */
function unique<T>(values: readonly T[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const k = key(value);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
const uniqueBytes = (values: readonly Uint8Array[]): Uint8Array[] => unique(values, (v) => Buffer.from(v).toString('hex'));
const uniqueTexts = (values: readonly string[]): string[] => unique(values, (v) => v);

/** The seed inputs, by kind. */
export interface Corpus {
  /** Every wire text of the transcript and the texts reassembled from fragments. */
  readonly texts: readonly string[];
  /** The base64 bodies of the complete encoded messages. */
  readonly base64: readonly string[];
  /** Complete binary OTR messages (header and body). */
  readonly messages: readonly Uint8Array[];
  /** Message bodies (after the header), by message type. */
  readonly bodies: Readonly<Record<'dhCommit' | 'dhKey' | 'revealSignature' | 'signature' | 'data', readonly Uint8Array[]>>;
  /** PUBKEYs of the transcript's accounts and of potr's keys. */
  readonly publicKeys: readonly Uint8Array[];
  /** Decrypted X (potr). */
  readonly signaturePayloads: readonly Uint8Array[];
  /** Inputs of M_A / M_B (potr). */
  readonly macInputs: readonly Uint8Array[];
  /** D-H values as MPIs (potr's and the transcript's). */
  readonly mpis: readonly Uint8Array[];
  /** The old MAC keys fields of data messages. */
  readonly oldMacKeys: readonly Uint8Array[];
  /** Decrypted data message plaintexts, as libotr's receiver reported them. */
  readonly payloads: readonly Uint8Array[];
  /** TLV sequences of those plaintexts. */
  readonly tlvs: readonly Uint8Array[];
  /** TLV values of the SMP TLVs (types 2 to 5: MPI lists; 7: question, NUL, MPI list). */
  readonly smpValues: readonly Uint8Array[];
  /** TLV 8 values (a 4-byte use and data). */
  readonly extraKeyValues: readonly Uint8Array[];
}

function loadJson(relative: string): unknown {
  return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as unknown;
}

interface PotrPayload {
  readonly p: string;
  readonly q: string;
  readonly g: string;
  readonly y: string;
  readonly gx: string;
  readonly gy: string;
  readonly signature: string;
  readonly macInput: string;
  readonly signaturePayload: string;
}
interface PotrAkeKeys {
  readonly theirPublic: string;
}

let cached: Corpus | undefined;

/** Builds (once) the seed corpus. */
export function loadCorpus(): Corpus {
  if (cached !== undefined) return cached;
  const transcript = loadTranscript();
  const records: TranscriptRecord[] = [...transcript.runs.v3, ...transcript.runs.v2, ...transcript.runs.tag];

  const wire = recordsOf(records, 'wire');
  const reassembled = recordsOf(records, 'reassembled');
  const wireTexts = wire.map((r) => r.text);
  // libotr writes no v4 fragments: its v3 ones behind an identifier seed the v4 form.
  const v4Fragments = wireTexts.filter((text) => text.startsWith('?OTR|')).map((text, i) => `?OTR|${(((i + 1) * 0x9e3779b1) >>> 0).toString(16)}|${text.slice(5)}`);
  const texts = uniqueTexts([...wireTexts, ...v4Fragments, ...reassembled.map((r) => r.text)]);
  const encoded = texts.filter((text) => text.startsWith('?OTR:') && text.endsWith('.'));
  const base64 = uniqueTexts(encoded.map((text) => text.slice(5, -1)));
  const messages = uniqueBytes(base64.map((b) => Uint8Array.from(Buffer.from(b, 'base64'))));

  const bodies = { dhCommit: [] as Uint8Array[], dhKey: [] as Uint8Array[], revealSignature: [] as Uint8Array[], signature: [] as Uint8Array[], data: [] as Uint8Array[] };
  const oldMacKeys: Uint8Array[] = [];
  const mpis: Uint8Array[] = [];
  for (const message of messages) {
    const header = decodeHeader(message);
    if (isDecodeError(header)) continue;
    const body = message.subarray(header.bodyOffset);
    switch (header.type) {
      case MESSAGE_TYPE.DH_COMMIT:
        bodies.dhCommit.push(body);
        break;
      case MESSAGE_TYPE.DH_KEY:
        bodies.dhKey.push(body);
        mpis.push(body);
        break;
      case MESSAGE_TYPE.REVEAL_SIGNATURE:
        bodies.revealSignature.push(body);
        break;
      case MESSAGE_TYPE.SIGNATURE:
        bodies.signature.push(body);
        break;
      case MESSAGE_TYPE.DATA: {
        bodies.data.push(body);
        const data = decodeDataMessage(body);
        if (!isDecodeError(data)) {
          if (data.oldMacKeys.length > 0) oldMacKeys.push(data.oldMacKeys);
          mpis.push(lengthPrefixed(data.nextDh));
        }
        break;
      }
      default:
        break;
    }
  }

  const publicKeys = recordsOf(records, 'account').map((r) => hex(r.publicKey));
  const potrPayloads = loadJson('../vectors/potr/signature-payload.json') as PotrPayload[];
  const potrKeys = loadJson('../vectors/potr/akekeys.json') as PotrAkeKeys[];
  const signaturePayloads = potrPayloads.map((p) => hex(p.signaturePayload));
  const macInputs = potrPayloads.map((p) => hex(p.macInput));
  for (const p of potrPayloads) {
    mpis.push(lengthPrefixed(hex(p.gx)), lengthPrefixed(hex(p.gy)));
    publicKeys.push(Uint8Array.of(0, 0, ...lengthPrefixed(hex(p.p)), ...lengthPrefixed(hex(p.q)), ...lengthPrefixed(hex(p.g)), ...lengthPrefixed(hex(p.y))));
  }
  for (const k of potrKeys) mpis.push(lengthPrefixed(hex(k.theirPublic)));

  const payloads: Uint8Array[] = [];
  const tlvs: Uint8Array[] = [];
  const smpValues: Uint8Array[] = [];
  const extraKeyValues: Uint8Array[] = [];
  for (const received of recordsOf(records, 'received')) {
    const list: Tlv[] = received.tlvs.map((t) => ({ type: t.type, value: hex(t.value) }));
    payloads.push(encodeDataPayload(utf8.encode(received.shown ?? ''), list));
    if (list.length > 0) tlvs.push(encodeTlvs(list));
    for (const tlv of list) {
      if (tlv.type >= 2 && tlv.type <= 5) smpValues.push(tlv.value);
      else if (tlv.type === 7) smpValues.push(tlv.value);
      else if (tlv.type === 8) extraKeyValues.push(tlv.value);
    }
  }
  // libotr's transcript has no TLV 8: seed one of each shape.
  extraKeyValues.push(Uint8Array.of(0, 0, 0, 1), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 1, 2, 3), Uint8Array.of(0, 0, 1));

  cached = {
    texts,
    base64,
    messages,
    bodies,
    publicKeys: uniqueBytes(publicKeys),
    signaturePayloads: uniqueBytes(signaturePayloads),
    macInputs: uniqueBytes(macInputs),
    mpis: uniqueBytes(mpis),
    oldMacKeys: uniqueBytes(oldMacKeys),
    payloads: uniqueBytes(payloads),
    tlvs: uniqueBytes(tlvs),
    smpValues: uniqueBytes(smpValues),
    extraKeyValues: uniqueBytes(extraKeyValues),
  };
  return cached;
}
