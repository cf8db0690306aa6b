import { describe, expect, it } from 'vitest';
import { assignEpisodes, DEFAULT_EPISODE_GAP_DAYS, repeatShare, type EpisodeContact } from './episodes.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1, 9, 0);

function contact(id: number, day: number, outcome: EpisodeContact['outcome'], need_ref: string | null = null, person_ref = 'p1'): EpisodeContact {
  return { id, person_ref, need_ref, occurred_at: T0 + day * DAY, outcome };
}

/** The assignment as [id, episode_id, is_repeat] rows in id order, easy to read against the arithmetic. */
function rows(contacts: readonly EpisodeContact[], gapDays?: number): Array<[number, number, boolean]> {
  const m = assignEpisodes(contacts, gapDays);
  return [...m.entries()].sort(([a], [b]) => a - b).map(([id, e]) => [id, e.episode_id, e.is_repeat]);
}

describe('episodes and repeat conversations', () => {
  it('palliative care: six 10-minute conversations, then a 30-minute one that resolves the need', () => {
    // contacts 1–6 'ongoing' a few days apart, contact 7 'resolved':
    // one episode (id 1); contacts 2–7 are repeats → 6 repeats of 7 contacts
    // minutes: 6 × 10 + 30 = 90 for the one need; repeat share 6/7 = 0.857143
    const minutes = new Map<number, number>();
    const contacts: EpisodeContact[] = [];
    for (let i = 1; i <= 6; i++) {
      contacts.push(contact(i, (i - 1) * 4, 'ongoing'));
      minutes.set(i, 10);
    }
    contacts.push(contact(7, 24, 'resolved'));
    minutes.set(7, 30);

    const m = assignEpisodes(contacts);
    expect(new Set([...m.values()].map((e) => e.episode_id))).toEqual(new Set([1]));
    const repeats = [...m.values()].filter((e) => e.is_repeat).length;
    expect(repeats).toBe(6);
    expect(m.size).toBe(7);
    expect(m.get(1)).toEqual({ episode_id: 1, is_repeat: false });
    expect(m.get(7)).toEqual({ episode_id: 1, is_repeat: true });
    const episodeMinutes = contacts.filter((c) => m.get(c.id)?.episode_id === 1).reduce((s, c) => s + (minutes.get(c.id) ?? 0), 0);
    expect(episodeMinutes).toBe(90);
    expect(repeatShare(repeats, m.size)).toBeCloseTo(0.857143, 6);
  });

  it('the same with a need_ref', () => {
    const contacts = [1, 2, 3, 4, 5, 6].map((i) => contact(i, i, 'ongoing', 'need-a'));
    contacts.push(contact(7, 7, 'resolved', 'need-a'));
    expect(rows(contacts).map(([, e, r]) => [e, r])).toEqual([[1, false], [1, true], [1, true], [1, true], [1, true], [1, true], [1, true]]);
  });

  it('an episode that never resolves stays open: every later contact is a repeat', () => {
    // no need_ref, contacts 20 days apart (never more than 30): one episode, 3 repeats of 4
    expect(rows([contact(1, 0, 'ongoing'), contact(2, 20, 'referred_on'), contact(3, 40, 'no_action'), contact(4, 60, 'ongoing')])).toEqual([
      [1, 1, false], [2, 1, true], [3, 1, true], [4, 1, true],
    ]);
    // with a need_ref time does not end it: 200 days apart, still one episode
    expect(rows([contact(1, 0, 'ongoing', 'n'), contact(2, 200, 'ongoing', 'n')])).toEqual([[1, 1, false], [2, 1, true]]);
  });

  it('a single-contact episode: not a repeat, its own episode', () => {
    expect(rows([contact(42, 0, 'resolved')])).toEqual([[42, 42, false]]);
    expect(rows([contact(43, 0, 'ongoing', 'n')])).toEqual([[43, 43, false]]);
    // repeat share 0 of 1 = 0
    expect(repeatShare(0, 1)).toBe(0);
  });

  it('without a need_ref a gap of more than 30 days starts a new episode; exactly 30 does not', () => {
    expect(DEFAULT_EPISODE_GAP_DAYS).toBe(30);
    // day 0 → day 30: gap 30 × 86,400,000 ms = not more than 30 days → same episode
    expect(rows([contact(1, 0, 'ongoing'), contact(2, 30, 'ongoing')])).toEqual([[1, 1, false], [2, 1, true]]);
    // day 0 → day 31: gap 31 days > 30 → new episode, not a repeat
    expect(rows([contact(1, 0, 'ongoing'), contact(2, 31, 'ongoing')])).toEqual([[1, 1, false], [2, 2, false]]);
    // one millisecond past 30 days is already more than 30
    const late = { ...contact(2, 30, 'ongoing'), occurred_at: T0 + 30 * DAY + 1 };
    expect(rows([contact(1, 0, 'ongoing'), late])).toEqual([[1, 1, false], [2, 2, false]]);
  });

  it('the gap runs from the previous contact, not the start of the episode', () => {
    // days 0, 25, 50: no gap over 30 → one episode though it spans 50 days
    expect(rows([contact(1, 0, 'ongoing'), contact(2, 25, 'ongoing'), contact(3, 50, 'ongoing')]).map(([, e]) => e)).toEqual([1, 1, 1]);
  });

  it('with a need_ref a 31-day gap does not end the episode', () => {
    expect(rows([contact(1, 0, 'ongoing', 'n'), contact(2, 31, 'ongoing', 'n')])).toEqual([[1, 1, false], [2, 1, true]]);
  });

  it('the gap is a setting', () => {
    // gap 7 days: day 0 → day 8 is a new episode; day 0 → day 7 is not
    expect(rows([contact(1, 0, 'ongoing'), contact(2, 8, 'ongoing')], 7)).toEqual([[1, 1, false], [2, 2, false]]);
    expect(rows([contact(1, 0, 'ongoing'), contact(2, 7, 'ongoing')], 7)).toEqual([[1, 1, false], [2, 1, true]]);
    expect(() => assignEpisodes([], -1)).toThrow(RangeError);
  });

  it('a contact after a resolved one starts a new episode, even the next day', () => {
    // 1 ongoing, 2 resolved (ends episode 1), 3 the next day → episode 3, 4 → repeat in episode 3
    expect(rows([contact(1, 0, 'ongoing'), contact(2, 1, 'resolved'), contact(3, 2, 'ongoing'), contact(4, 3, 'resolved')])).toEqual([
      [1, 1, false], [2, 1, true], [3, 3, false], [4, 3, true],
    ]);
    // two resolved in a row: two single-contact episodes
    expect(rows([contact(1, 0, 'resolved', 'n'), contact(2, 0.5, 'resolved', 'n')])).toEqual([[1, 1, false], [2, 2, false]]);
  });

  it('two needs interleaved for one person are followed separately', () => {
    // time order: a1(10) b1(11) a2(12, resolved) b2(13) a3(14) b3(15, resolved)
    // need a: 10, 12 → episode 10 (12 a repeat); 14 after the resolution → episode 14
    // need b: 11, 13, 15 → episode 11, two repeats — a's resolution does not end b's episode
    const contacts = [
      contact(10, 0, 'ongoing', 'a'), contact(11, 1, 'ongoing', 'b'), contact(12, 2, 'resolved', 'a'),
      contact(13, 3, 'ongoing', 'b'), contact(14, 4, 'ongoing', 'a'), contact(15, 5, 'resolved', 'b'),
    ];
    expect(rows(contacts)).toEqual([
      [10, 10, false], [11, 11, false], [12, 10, true], [13, 11, true], [14, 14, false], [15, 11, true],
    ]);
  });

  it('contacts without a need_ref are one group per person, apart from that person’s need_refs and other people', () => {
    // p1: 1 (no ref), 2 (ref 'a'), 3 (no ref) → 1 and 3 together, 2 alone
    // p2: 4 (ref 'a') — same need_ref text as p1's, another person: its own episode
    // "null" the string is a need_ref like any other, not the missing one
    const contacts = [
      contact(1, 0, 'ongoing'), contact(2, 1, 'ongoing', 'a'), contact(3, 2, 'ongoing'),
      contact(4, 3, 'ongoing', 'a', 'p2'), contact(5, 4, 'ongoing', 'null'),
    ];
    expect(rows(contacts)).toEqual([[1, 1, false], [2, 2, false], [3, 1, true], [4, 4, false], [5, 5, false]]);
  });

  it('ties on occurred_at are broken by id, whatever the input order', () => {
    // 9 and 4 at the same moment: 4 comes first. 4 resolves, so 9 starts its own episode.
    const a = contact(9, 0, 'ongoing');
    const b = contact(4, 0, 'resolved');
    expect(rows([a, b])).toEqual([[4, 4, false], [9, 9, false]]);
    expect(rows([b, a])).toEqual([[4, 4, false], [9, 9, false]]);
    // with nothing resolved: 4 first, 9 its repeat
    const c = contact(4, 0, 'ongoing');
    expect(rows([a, c])).toEqual([[4, 4, false], [9, 4, true]]);
  });

  it('does not depend on input order', () => {
    const contacts = [
      contact(1, 0, 'ongoing'), contact(2, 3, 'resolved'), contact(3, 40, 'ongoing'), contact(4, 80, 'ongoing', 'x'),
      contact(5, 81, 'ongoing', 'x'), contact(6, 0, 'ongoing', null, 'p2'),
    ];
    const expected = rows(contacts);
    expect(rows([...contacts].reverse())).toEqual(expected);
    expect(rows([contacts[3], contacts[0], contacts[5], contacts[2], contacts[1], contacts[4]].filter((c) => c !== undefined))).toEqual(expected);
  });

  it('no contacts, no episodes; a repeated id is refused', () => {
    expect(assignEpisodes([]).size).toBe(0);
    expect(() => assignEpisodes([contact(1, 0, 'ongoing'), contact(1, 1, 'ongoing', 'n')])).toThrow(RangeError);
  });
});

describe('repeat share', () => {
  it('repeats ÷ contacts', () => {
    // 6 ÷ 7 = 0.857142857…; 0 ÷ 12 = 0; 5 ÷ 5 = 1 (rounded counts can meet)
    expect(repeatShare(6, 7)).toBeCloseTo(0.857142857, 9);
    expect(repeatShare(0, 12)).toBe(0);
    expect(repeatShare(5, 5)).toBe(1);
  });

  it('no contacts: null', () => {
    expect(repeatShare(0, 0)).toBeNull();
  });

  it('refuses more repeats than contacts', () => {
    expect(() => repeatShare(3, 2)).toThrow(RangeError);
    expect(() => repeatShare(-1, 2)).toThrow(RangeError);
  });
});
