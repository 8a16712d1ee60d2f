import type { Lang } from '../shared/i18n';
import type { MessageKind } from './message.model';
import type { TemplateText } from './mail-setup.model';

// The default texts of invitations and reminders. Plain constants, not i18next strings: their
// {{placeholders}} are filled per recipient by fillTemplate, not by i18next's interpolation.

export const PLACEHOLDERS = ['name', 'organisation', 'link', 'deadline', 'optOutLink'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export const DEFAULT_TEMPLATES: Record<MessageKind, Record<Lang, TemplateText>> = {
  invitation: {
    en: {
      subject: '{{organisation}}: your views on our sustainability priorities',
      body: [
        'Dear {{name}},',
        '',
        '{{organisation}} is carrying out its materiality assessment and would value your views on which sustainability topics matter most.',
        '',
        'The questionnaire takes about 10 minutes. Your personal link (please do not forward it):',
        '{{link}}',
        '',
        'Closing date: {{deadline}}.',
        '',
        'Thank you.',
        '',
        '--',
        'To receive no further e-mail about this survey: {{optOutLink}}',
      ].join('\n'),
    },
    'zh-Hant': {
      subject: '{{organisation}}：誠邀您就我們的可持續發展議題提供意見',
      body: [
        '{{name}}，您好：',
        '',
        '{{organisation}}正進行重要性評估，誠邀您就哪些可持續發展議題最為重要提供意見。',
        '',
        '問卷約需 10 分鐘。以下為您的專屬連結（請勿轉發）：',
        '{{link}}',
        '',
        '截止日期：{{deadline}}。',
        '',
        '謝謝！',
        '',
        '--',
        '如不欲再收到有關本問卷的電郵：{{optOutLink}}',
      ].join('\n'),
    },
    'zh-Hans': {
      subject: '{{organisation}}：诚邀您就我们的可持续发展议题提供意见',
      body: [
        '{{name}}，您好：',
        '',
        '{{organisation}}正在开展重要性评估，诚邀您就哪些可持续发展议题最为重要提供意见。',
        '',
        '问卷约需 10 分钟。以下是您的专属链接（请勿转发）：',
        '{{link}}',
        '',
        '截止日期：{{deadline}}。',
        '',
        '谢谢！',
        '',
        '--',
        '如不想再收到有关本问卷的邮件：{{optOutLink}}',
      ].join('\n'),
    },
  },
  reminder: {
    en: {
      subject: 'Reminder: {{organisation}} would value your views',
      body: [
        'Dear {{name}},',
        '',
        'A few days ago {{organisation}} invited you to tell us which sustainability topics matter most. If you have not had time yet, your personal link still works:',
        '{{link}}',
        '',
        'Closing date: {{deadline}}. If you have already answered, thank you, and please ignore this message.',
        '',
        '--',
        'To receive no further e-mail about this survey: {{optOutLink}}',
      ].join('\n'),
    },
    'zh-Hant': {
      subject: '提示：{{organisation}}期待您的意見',
      body: [
        '{{name}}，您好：',
        '',
        '日前{{organisation}}邀請您就可持續發展議題提供意見。如您尚未作答，您的專屬連結仍然有效：',
        '{{link}}',
        '',
        '截止日期：{{deadline}}。如您已作答，謝謝您，請忽略本電郵。',
        '',
        '--',
        '如不欲再收到有關本問卷的電郵：{{optOutLink}}',
      ].join('\n'),
    },
    'zh-Hans': {
      subject: '提醒：{{organisation}}期待您的意见',
      body: [
        '{{name}}，您好：',
        '',
        '日前{{organisation}}邀请您就可持续发展议题提供意见。如您尚未作答，您的专属链接仍然有效：',
        '{{link}}',
        '',
        '截止日期：{{deadline}}。如您已作答，谢谢您，请忽略本邮件。',
        '',
        '--',
        '如不想再收到有关本问卷的邮件：{{optOutLink}}',
      ].join('\n'),
    },
  },
};

/** What a placeholder reads when there is nothing to put in it. */
export const FALLBACKS: Record<Lang, { name: string; deadline: string }> = {
  en: { name: 'colleague', deadline: 'until further notice' },
  'zh-Hant': { name: '持份者', deadline: '另行通知' },
  'zh-Hans': { name: '利益相关方', deadline: '另行通知' },
};
