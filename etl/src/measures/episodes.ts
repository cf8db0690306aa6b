/**
 * Episodes and repeat conversations (failure demand), computed in memory. This is the reference the
 * SQL ETL is checked against in a property test, so it favours plainness over speed.
 *
 * A person's contacts in time order — per need_ref when given, otherwise all their contacts without
 * one together — form an episode that ends with a 'resolved' contact. Without a need_ref an episode
 * also ends after a gap of more than gapDays with no contact, since there is no other way to tell one
 * need from the next. The first contact of an episode is value demand; every later one is a repeat.
 */

export interface EpisodeContact {
  id: number;
  person_ref: string;
  need_ref: string | null;
  occurred_at: number /* epoch ms */;
  outcome: 'resolved' | 'referred_on' | 'no_action' | 'ongoing';
}

export const DEFAULT_EPISODE_GAP_DAYS = 30;

const MS_PER_DAY = 86_400_000;

/**
 * For every contact id: the episode it belongs to (the id of the episode's first contact) and whether
 * it is a repeat (not the first contact of its episode). A gap of exactly gapDays stays in the episode.
 */
export function assignEpisodes(
  contacts: readonly EpisodeContact[],
  gapDays = DEFAULT_EPISODE_GAP_DAYS,
): Map<number, { episode_id: number; is_repeat: boolean }> {
  if (!(Number.isFinite(gapDays) && gapDays >= 0)) throw new RangeError(`assignEpisodes: gapDays must be 0 or more, got ${gapDays}`);
  const gapMs = gapDays * MS_PER_DAY;

  // JSON of a tuple keeps a null need_ref apart from the string "null" and any separator inside a ref.
  const groups = new Map<string, EpisodeContact[]>();
  for (const c of contacts) {
    const key = JSON.stringify([c.person_ref, c.need_ref]);
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }

  const result = new Map<number, { episode_id: number; is_repeat: boolean }>();
  for (const group of groups.values()) {
    // Ties on time are broken by id so the answer never depends on input order.
    const sorted = [...group].sort((x, y) => x.occurred_at - y.occurred_at || x.id - y.id);
    let episodeId = 0;
    let previous: EpisodeContact | undefined;
    for (const c of sorted) {
      const startsEpisode =
        previous === undefined ||
        previous.outcome === 'resolved' ||
        (c.need_ref === null && c.occurred_at - previous.occurred_at > gapMs);
      if (startsEpisode) episodeId = c.id;
      if (result.has(c.id)) throw new RangeError(`assignEpisodes: contact id ${c.id} appears twice`);
      result.set(c.id, { episode_id: episodeId, is_repeat: !startsEpisode });
      previous = c;
    }
  }
  return result;
}

/** Failure-demand share = repeats ÷ contacts; null with no contacts. */
export function repeatShare(repeats: number, contacts: number): number | null {
  if (repeats < 0 || repeats > contacts) throw new RangeError(`repeatShare: need 0 ≤ repeats ≤ contacts, got ${repeats} of ${contacts}`);
  return contacts === 0 ? null : repeats / contacts;
}
