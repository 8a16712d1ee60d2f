import type { ImpactProfile, InstrumentMode, ScoringSettings } from '../../scoring';
import type { Lang } from '../../shared/i18n';

export type Localized = { en: string; 'zh-Hant'?: string; 'zh-Hans'?: string };
export type Instrument = 'impact' | 'financial';
export const INSTRUMENTS: readonly Instrument[] = ['impact', 'financial'];
export type Status = 'draft' | 'open' | 'closed' | 'approved';
export const TEMPLATE_CHOICES = ['blank', 'xiaomi-2024', 'hkex', 'esrs'] as const;
export type TemplateId = (typeof TEMPLATE_CHOICES)[number];

export interface Topic {
  code: string;
  name: Localized;
  description: Localized;
  category: 'E' | 'S' | 'G';
  impactProfile: ImpactProfile;
}

export const IRO_TYPES = ['impact-positive', 'impact-negative', 'risk', 'opportunity'] as const;
export const IRO_ACTUALITY = ['actual', 'potential'] as const;
export const IRO_STAGES = ['upstream', 'own-operations', 'downstream'] as const;
export const IRO_HORIZONS = ['short', 'medium', 'long'] as const;

/** One entry of a topic's register of impacts, risks and opportunities (kept flat: no nested arrays). */
export interface Iro {
  id: string;
  topic: string;
  type: (typeof IRO_TYPES)[number];
  actuality: (typeof IRO_ACTUALITY)[number];
  stage: (typeof IRO_STAGES)[number];
  horizon: (typeof IRO_HORIZONS)[number];
  description: string;
}

export interface Group {
  code: string;
  name: Localized;
  kind: 'internal' | 'external';
  weight: number;
  instruments: Instrument[];
  targetResponses: number;
}

/** The scoring settings (weights live on the groups) plus the questionnaire's own settings. */
export interface AssessmentSettings extends Omit<ScoringSettings, 'weights'> {
  instruments: { impact: { mode: InstrumentMode }; financial: { mode: InstrumentMode } };
  languages: Lang[];
  intro: Partial<Record<Lang, string>>;
  privacy: Partial<Record<Lang, string>>;
  axisLabels: { impact: Partial<Record<Lang, string>>; financial: Partial<Record<Lang, string>> };
  /** IANA time zone in which staff pages show times; absent = the server's. */
  timeZone?: string;
}

/** A reviewer's final materiality of a topic, against the computed one (see src/review/). */
export interface StoredOverride {
  topic: string;
  material: boolean;
  rationale: string;
  /** the e-mail of who set it (shown), and their id (the four-eyes rule) */
  by: string;
  byId: string;
  at: Date;
}

/** A recorded review decision on a borderline topic: keep as computed (an override is the other). */
export interface ReviewDecision {
  topic: string;
  decision: 'keep';
  rationale: string;
  by: string;
  byId: string;
  at: Date;
}

/** What was approved, by whom; the snapshot of the results lives in `signoffs` by `snapshotId`. */
export interface SignOff {
  by: string;
  byId: string;
  at: Date;
  meetingDate: string;
  body: string;
  minutesRef: string;
  comment: string;
  snapshotId: string;
}

/** A sign-off that was reopened: kept, with who reopened it and why. */
export interface PastSignOff extends SignOff {
  reopenedAt: Date;
  reopenedBy: string;
  reopenedById: string;
  reason: string;
}

/** A topic of this year that continues topics of the previous assessment under other codes. */
export interface TopicMapping {
  code: string;
  previous: string[];
}

export interface Assessment {
  _id: string;
  name: string;
  reportingYear: number;
  template: TemplateId;
  status: Status;
  settings: AssessmentSettings;
  topics: Topic[];
  groups: Group[];
  iros: Iro[];
  /** Set by the first stored response: topics, groups and instrument modes are frozen from then on. */
  locked: boolean;
  /** Raised by every staff edit, which writes only over the version it read (missing = 0). */
  version?: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  overrides?: StoredOverride[];
  decisions?: ReviewDecision[];
  signOff?: SignOff | null;
  signOffHistory?: PastSignOff[];
  previousAssessmentId?: string | null;
  topicMap?: TopicMapping[];
  /** The organisation shown on respondent pages instead of the product's brand (absent: the product's). */
  branding?: Branding;
}

/** The organisation's name per language and its logo (bytes checked by branding/logo.ts). */
export interface Branding {
  name?: Partial<Record<Lang, string>>;
  logo?: { data: Buffer; type: 'image/png' | 'image/jpeg'; hash: string };
}
