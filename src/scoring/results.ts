import { axisResult } from './aggregate';
import { classify } from './materiality';
import { ownValue } from './own-key';
import { rankTopics } from './ranking';
import type { Axis, ScoringInput, ScoringTopic, Tally, TopicResult } from './types';

type Unranked = Omit<TopicResult, 'priority' | 'rank'>;

/**
 * Every figure of every topic (sections 3–5), in rank order. `material` is the reviewer's override
 * when there is one; `computedMaterial` always keeps the computed value beside it.
 */
export function computeTopicResults(input: ScoringInput): TopicResult[] {
  const unranked = input.topics.map((topic) => topicResult(topic, input));
  // Each candidate carries its result, so the ranked order maps back without indexing.
  const candidates = unranked.map((result) => ({
    code: result.code,
    impact: result.impact.score,
    financial: result.financial.score,
    result,
  }));
  return rankTopics(candidates, input.settings).map((c) => ranked(c.result, c.priority, c.rank));
}

function topicResult(topic: ScoringTopic, input: ScoringInput): Unranked {
  const { groups, settings } = input;
  const impact = axisResult('impact', groups, talliesFor(input, topic.code, 'impact'), settings);
  const financial = axisResult(
    'financial',
    groups,
    talliesFor(input, topic.code, 'financial'),
    settings,
  );
  const m = classify(impact.score, financial.score, settings);
  const override = ownValue(input.overrides, topic.code) ?? null;
  return {
    code: topic.code,
    name: topic.name,
    category: topic.category,
    impact,
    financial,
    classification: m.classification,
    material: override?.material ?? m.material,
    computedMaterial: m.material,
    borderline: m.borderline,
    override,
  };
}

function talliesFor(
  input: ScoringInput,
  topicCode: string,
  axis: Axis,
): Record<string, Tally> | undefined {
  return ownValue(ownValue(input.tallies, topicCode), axis);
}

/** Rebuilt field by field so the JSON keeps the documented key order. */
function ranked(r: Unranked, priority: number, rank: number): TopicResult {
  return {
    code: r.code,
    name: r.name,
    category: r.category,
    impact: r.impact,
    financial: r.financial,
    classification: r.classification,
    material: r.material,
    computedMaterial: r.computedMaterial,
    borderline: r.borderline,
    priority,
    rank,
    override: r.override,
  };
}
