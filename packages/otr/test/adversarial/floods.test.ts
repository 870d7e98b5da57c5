/**
 * A peer controls how often it sends. Everything a message makes the victim
 * do that costs work, bytes on the wire or the user's attention must be
 * bounded per contact on the host's clock, and a peer flooding one kind of
 * message must not lock a later honest AKE out:
 *
 * - instances of one contact are capped; a newcomer takes the place of an
 *   idle instance or of the AKE that made progress least recently, and says
 *   so, never of an encrypted session;
 * - queries start a bounded number of AKEs per interval, error messages give
 *   a bounded number of events and queries.
 */
import { describe, expect, it } from 'vitest';
import { receiveAkeMessage, startAke, type AkeMessage } from '../../src/v3/ake/ake.js';
import { AUTH_NONE, type AuthState } from '../../src/v3/ake/auth-state.js';
import { type OtrEvent, type Outcome, type RandomSource } from '../../src/index.js';
import { deterministicRandom } from '../../src/testing.js';
import {
  AKE_START_INTERVAL_MS,
  AKE_STARTS_PER_INTERVAL,
  ERROR_QUERY_INTERVAL_MS,
  MAX_INSTANCES_PER_CONTACT,
  PEER_ERROR_EVENT_INTERVAL_MS,
} from '../../src/limits.js';
import { encodeWhitespaceTag } from '../../src/wire/index.js';
import { EVIL, EVIL_TAG, Scene, VICTIM_TAG, eventsOf } from './evil-peer.js';

/** Sender tags of the hostile instances: distinct, and none is EVIL_TAG. */
const hostileTag = (i: number): number => 0x20000 + i;

/** The victim's `dropped` events for the instance cap. */
function evictions(outcomes: readonly Outcome[]): (OtrEvent & { kind: 'dropped' })[] {
  return outcomes.flatMap((outcome) => eventsOf(outcome, 'dropped')).filter((event) => event.reason === 'instance-limit');
}

/** A D-H Commit from a fresh AKE of the evil peer (its state is thrown away). */
function hostileCommit(scene: Scene): AkeMessage {
  return startAke(3, scene.akeContext).reply!;
}

/**
 * Runs an honest AKE from the evil peer's instance `tag`, started by its
 * D-H Commit; returns the victim's outcomes, in order.
 */
function honestAke(scene: Scene, tag: number): Outcome[] {
  let auth: AuthState = AUTH_NONE;
  const start = startAke(3, scene.akeContext);
  auth = start.next;
  const first = scene.toVictim(scene.akeText(start.reply!, 0, tag));
  const dhKey = scene.read(first).ake.find((message) => message.type === 'dh-key');
  expect(dhKey).toBeDefined();
  const reveal = receiveAkeMessage(auth, dhKey!, scene.akeContext);
  const second = scene.toVictim(scene.akeText(reveal.reply!, VICTIM_TAG, tag));
  return [first, second];
}

describe('instance eviction can be starved', () => {
  it('32 hostile D-H Commits from distinct sender tags, re-sent every 50 s, do not stop a new instance from completing its AKE; the evicted AKE is reported', () => {
    const scene = new Scene('evict-starve');
    const commits = Array.from({ length: MAX_INSTANCES_PER_CONTACT }, () => hostileCommit(scene));
    const flood = (): void => {
      commits.forEach((commit, i) => {
        // Each is answered like any D-H Commit: a D-H Key, nothing dropped.
        const outcome = scene.toVictim(scene.akeText(commit, 0, hostileTag(i)));
        expect(scene.read(outcome).ake.map((message) => message.type)).toEqual(['dh-key']);
        expect(outcome.events).toEqual([]);
        scene.tick(1);
      });
    };
    flood();
    scene.tick(50_000);
    flood();
    expect(scene.victim.status(EVIL).instances).toHaveLength(MAX_INSTANCES_PER_CONTACT + 1);

    // The real peer's instance: a new tag, an honest AKE.
    const outcomes = honestAke(scene, EVIL_TAG);
    expect(eventsOf(outcomes[1]!, 'secure')).toHaveLength(1);
    expect(scene.status().messageState).toBe('encrypted');

    // Room was made by abandoning the AKE that made progress least recently, and said so.
    const evicted = evictions(outcomes);
    expect(evicted).toHaveLength(1);
    expect(evicted[0]).toMatchObject({ kind: 'dropped', peer: EVIL, instance: hostileTag(0), reason: 'instance-limit' });
    const instances = scene.victim.status(EVIL).instances;
    expect(instances).toHaveLength(MAX_INSTANCES_PER_CONTACT + 1);
    expect(instances).not.toContain(hostileTag(0));
    expect(instances).toContain(EVIL_TAG);
  });

  it('an instance that holds nothing is forgotten before any AKE, silently', () => {
    const scene = new Scene('evict-idle');
    // 31 AKEs, then one instance that holds nothing (a data message from an unknown instance).
    for (let i = 0; i < MAX_INSTANCES_PER_CONTACT - 1; i++) scene.toVictim(scene.akeText(hostileCommit(scene), 0, hostileTag(i)));
    const idleTag = hostileTag(1000);
    const unknown = Scene.encrypted('evict-idle-keys');
    scene.toVictim(unknown.data('for nobody', { route: { senderTag: idleTag } }));
    expect(scene.victim.status(EVIL).instances).toContain(idleTag);
    const outcomes = honestAke(scene, EVIL_TAG);
    expect(scene.status().messageState).toBe('encrypted');
    expect(evictions(outcomes)).toEqual([]);
    const instances = scene.victim.status(EVIL).instances;
    expect(instances).not.toContain(idleTag);
    for (let i = 0; i < MAX_INSTANCES_PER_CONTACT - 1; i++) expect(instances).toContain(hostileTag(i));
  });

  it('an encrypted instance is never forgotten for a newcomer: when all are secure, the newcomer is refused and reported', () => {
    const scene = new Scene('evict-secure');
    for (let i = 0; i < MAX_INSTANCES_PER_CONTACT; i++) honestAke(scene, hostileTag(i));
    const secure = (): number => Array.from({ length: MAX_INSTANCES_PER_CONTACT }, (_, i) => scene.victim.status(EVIL, { instance: hostileTag(i) })).filter((s) => s.messageState === 'encrypted').length;
    expect(secure()).toBe(MAX_INSTANCES_PER_CONTACT);
    const outcome = scene.toVictim(scene.akeText(hostileCommit(scene), 0, EVIL_TAG));
    expect(outcome.send).toEqual([]);
    expect(evictions([outcome])).toEqual([expect.objectContaining({ instance: EVIL_TAG, reason: 'instance-limit' })]);
    expect(secure()).toBe(MAX_INSTANCES_PER_CONTACT);
    expect(scene.victim.status(EVIL).instances).not.toContain(EVIL_TAG);
  });
});

/** A random source that counts the D-H exponents (40-byte draws) it hands out. */
function counting(seed: string): { random: RandomSource; dhKeys: () => number } {
  const inner = deterministicRandom(seed);
  let dhKeys = 0;
  return {
    random: (length) => {
      if (length === 40) dhKeys++;
      return inner(length);
    },
    dhKeys: () => dhKeys,
  };
}

/** The evil peer answers the victim's D-H Commit and runs the AKE to its end; returns the victim's last outcome. */
function answerVictimCommit(scene: Scene, commit: AkeMessage): Outcome {
  const answer = receiveAkeMessage(AUTH_NONE, commit, scene.akeContext);
  const reveal = scene.read(scene.toVictim(scene.akeText(answer.reply!))).ake[0]!;
  const signed = receiveAkeMessage(answer.next, reveal, scene.akeContext);
  expect(signed.reply?.type).toBe('signature');
  return scene.toVictim(scene.akeText(signed.reply!));
}

const sentBytes = (outcomes: readonly Outcome[]): number => outcomes.reduce((sum, outcome) => sum + outcome.send.reduce((s, m) => s + m.text.length, 0), 0);

describe('floods are unthrottled', () => {
  it('2,000 error messages yield a bounded number of events and query replies, and every error is still counted', () => {
    const scene = new Scene('error-flood');
    const spacing = 10;
    const count = 2000;
    const duration = count * spacing;
    for (let i = 0; i < count; i++) {
      scene.toVictim(`?OTR Error: storm ${i}`);
      scene.tick(spacing);
    }
    // The rest is reported once the interval has passed, at the deadline the victim asks for.
    const deadline = scene.victim.nextDeadline();
    expect(deadline).toBeDefined();
    expect(deadline!).toBeLessThanOrEqual(scene.now);
    scene.outcomes.push(scene.victim.onDeadline(scene.now));
    expect(scene.victim.nextDeadline()).toBeUndefined();

    const events = scene.outcomes.flatMap((outcome) => eventsOf(outcome, 'peer-error'));
    const queries = scene.outcomes.flatMap((outcome) => outcome.send.map((m) => m.text)).filter((text) => text.startsWith('?OTRv'));
    expect(events.length).toBeLessThanOrEqual(Math.ceil(duration / PEER_ERROR_EVENT_INTERVAL_MS) + 1);
    expect(queries.length).toBeLessThanOrEqual(Math.ceil(duration / ERROR_QUERY_INTERVAL_MS));
    expect(queries.length).toBeGreaterThan(0);
    // Collapsed, not lost: the counts add up, and the last text is the last error.
    expect(events.reduce((sum, event) => sum + (event.repeated ?? 1), 0)).toBe(count);
    expect(events[0]).toEqual({ kind: 'peer-error', peer: EVIL, text: 'storm 0' });
    expect(events.at(-1)?.text).toBe(`storm ${count - 1}`);
    // Never an error answered with an error.
    expect(scene.outcomes.flatMap((outcome) => scene.read(outcome).errors)).toEqual([]);
  });

  it('5,000 queries yield a bounded number of D-H Commits and D-H key generations, fewer bytes out than in, and the AKE still completes', () => {
    const { random, dhKeys } = counting('query-flood-victim');
    const scene = new Scene('query-flood', { random });
    const query = '?OTRv3?';
    const count = 5000;
    const spacing = 1;
    const commits: AkeMessage[] = [];
    for (let i = 0; i < count; i++) {
      const outcome = scene.toVictim(query);
      commits.push(...scene.read(outcome).ake.filter((message) => message.type === 'dh-commit'));
      scene.tick(spacing);
    }
    const bound = AKE_STARTS_PER_INTERVAL * (Math.floor((count * spacing) / AKE_START_INTERVAL_MS) + 1);
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.length).toBeLessThanOrEqual(bound);
    expect(dhKeys()).toBe(commits.length);
    expect(sentBytes(scene.outcomes)).toBeLessThan(count * query.length);

    // The last D-H Commit is the one the peer answers: the AKE completes.
    expect(eventsOf(answerVictimCommit(scene, commits.at(-1)!), 'secure')).toHaveLength(1);
  });

  it('1,000 plaintext messages with a whitespace tag are all shown and start a bounded number of AKEs', () => {
    const scene = new Scene('tag-flood');
    const tagged = `hello${encodeWhitespaceTag([3])}`;
    let shown = 0;
    let commits = 0;
    for (let i = 0; i < 1000; i++) {
      const outcome = scene.toVictim(tagged);
      shown += outcome.show.length;
      commits += scene.read(outcome).ake.length;
      scene.tick(1);
    }
    expect(shown).toBe(1000);
    expect(commits).toBeLessThanOrEqual(AKE_STARTS_PER_INTERVAL);
  });

  it('a host clock that goes back does not silence error messages', () => {
    const scene = new Scene('clock-back');
    expect(eventsOf(scene.toVictim('?OTR Error: first'), 'peer-error')).toHaveLength(1);
    scene.tick(-60 * 60 * 1000);
    const again = scene.toVictim('?OTR Error: after the clock went back');
    expect(eventsOf(again, 'peer-error')).toEqual([{ kind: 'peer-error', peer: EVIL, text: 'after the clock went back' }]);
    expect(again.send.map((m) => m.text.split('\n')[0])).toEqual(['?OTRv23?']);
  });

  it('queries beyond the limit are ignored while the AKE runs; once it completed, a query starts a new one at once', () => {
    const scene = new Scene('query-after-ake');
    const commitsFor = (): AkeMessage[] => scene.read(scene.toVictim('?OTRv3?')).ake;
    const burst = Array.from({ length: AKE_STARTS_PER_INTERVAL + 3 }, commitsFor).flat();
    expect(burst).toHaveLength(AKE_STARTS_PER_INTERVAL);
    expect(eventsOf(answerVictimCommit(scene, burst.at(-1)!), 'secure')).toHaveLength(1);
    expect(commitsFor()).toHaveLength(1);
  });
});
