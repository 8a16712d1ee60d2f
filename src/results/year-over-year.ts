import type { Assessment } from '../assessments/model/assessment.types';
import type { Classification, TopicResult } from '../scoring';

/** Last year's figures of a topic (api.md "Review, sign-off, audit and year over year"). */
export interface PreviousFigures {
  rank: number;
  impactScore: number | null;
  financialScore: number | null;
  material: boolean;
  classification: Classification;
}

export interface DroppedTopic {
  code: string;
  name: Record<string, string>;
  rank: number;
}

/** The topics of the previous results that a topic of this year continues. */
export function previousCodes(a: Pick<Assessment, 'topicMap'>, code: string): string[] {
  const mapped = (a.topicMap ?? []).find((m) => m.code === code);
  return mapped && mapped.previous.length ? mapped.previous : [code];
}

/**
 * Compares this year's ranked topics with the previous results. A topic continues the previous
 * topics of the same code, or those its mapping names (a merge names several: the best ranked of
 * them is its previous position; a split maps several new topics to one). A topic with none is
 * new (`previous: null`, `rankChange: null`); previous topics nobody continues are dropped.
 */
export function compareYears(
  a: Pick<Assessment, 'topicMap'>,
  current: TopicResult[],
  previous: TopicResult[],
) {
  const byCode = new Map(previous.map((t) => [t.code, t]));
  const used = new Set<string>();
  const topics = current.map((t) => {
    const matches = previousCodes(a, t.code)
      .map((c) => byCode.get(c))
      .filter((p): p is TopicResult => p !== undefined);
    for (const m of matches) used.add(m.code);
    const best = matches.sort((x, y) => x.rank - y.rank)[0];
    const prev: PreviousFigures | null = best
      ? {
          rank: best.rank,
          impactScore: best.impact.score,
          financialScore: best.financial.score,
          material: best.material,
          classification: best.classification,
        }
      : null;
    return { ...t, previous: prev, rankChange: prev ? prev.rank - t.rank : null };
  });
  const droppedTopics: DroppedTopic[] = previous
    .filter((p) => !used.has(p.code))
    .map((p) => ({ code: p.code, name: p.name, rank: p.rank }));
  return { topics, droppedTopics };
}
