import { blankTemplate } from './blank';
import { esrsTemplate } from './esrs';
import { hkexTemplate } from './hkex';
import type { Template } from './types';
import { xiaomi2024Template } from './xiaomi-2024';

export type { Lang, Localized, Template, TemplateGroup, TemplateTopic } from './types';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

const TEMPLATES: Readonly<Record<Template['id'], Template>> = deepFreeze({
  blank: blankTemplate,
  'xiaomi-2024': xiaomi2024Template,
  hkex: hkexTemplate,
  esrs: esrsTemplate,
});

/** Every template id, `blank` first (the default). */
export const TEMPLATE_IDS: readonly Template['id'][] = Object.freeze([
  'blank',
  'xiaomi-2024',
  'hkex',
  'esrs',
] as const);

/** Returns a deep, mutable copy of a template; throws on an unknown id. */
export function getTemplate(id: Template['id']): Template {
  if (!Object.prototype.hasOwnProperty.call(TEMPLATES, id)) {
    throw new Error(`Unknown assessment template: ${String(id)}`);
  }
  return structuredClone(TEMPLATES[id]);
}
