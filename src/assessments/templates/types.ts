/** Languages a template carries text in. */
export type Lang = 'en' | 'zh-Hant' | 'zh-Hans';

/** A text in several languages; English is always present. */
export type Localized = { en: string; 'zh-Hant'?: string; 'zh-Hans'?: string };

export interface TemplateTopic {
  /** Unique within the template; letters, digits, `-`, `_`. */
  code: string;
  name: Localized;
  /** Definition shown to respondents next to the topic. */
  description: Localized;
  category: 'E' | 'S' | 'G';
  /** Default IRO profile; assessments may change it. */
  impactProfile: {
    nature: 'negative' | 'positive';
    occurrence: 'actual' | 'potential';
    humanRights: boolean;
  };
}

export interface TemplateGroup {
  /** Unique within the template; letters, digits, `-`, `_`. */
  code: string;
  name: Localized;
  kind: 'internal' | 'external';
  weight: number;
  instruments: ('impact' | 'financial')[];
  /** Suggested number of responses to aim for. */
  targetResponses: number;
  /** Topic codes of this template the group is known to care most about. */
  keyConcerns: string[];
}

export interface Template {
  id: 'blank' | 'xiaomi-2024' | 'hkex' | 'esrs';
  name: Localized;
  topics: TemplateTopic[];
  groups: TemplateGroup[];
}
