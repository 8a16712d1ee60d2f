import type { LocaleBundle } from '../shared/locales/bundles';

// Strings of the respondent pages and the survey services (namespace `survey`).
const en = {
  unknownLink: 'This survey link is not valid. Please check the link you received.',
  closedMessage: 'This survey is not open at the moment. Thank you for your interest.',
  alreadySubmittedMessage: 'This questionnaire has already been submitted with this link. Thank you.',
  answersArray: 'answers must be a list.',
  answerShape: 'Each answer needs an instrument and a topic.',
  unknownItem: 'This instrument or topic is not part of the questionnaire.',
  duplicateAnswer: 'This topic is answered twice.',
  unknownCriterion: 'This question is not asked for this topic.',
  missing: 'Answer this question or choose "Don\'t know".',
  range: 'Choose a value from 1 to 5, or "Don\'t know".',
  tooMany: 'Too many submissions from this device. Please wait a minute and try again.',
};
const zhHant: typeof en = {
  unknownLink: '此問卷連結無效，請檢查你收到的連結。',
  closedMessage: '此問卷目前未開放，感謝你的關注。',
  alreadySubmittedMessage: '此連結的問卷已經提交，謝謝。',
  answersArray: 'answers 必須是清單。',
  answerShape: '每個答案須包含問卷及議題。',
  unknownItem: '此問卷或議題不屬於本問卷。',
  duplicateAnswer: '此議題被回答了兩次。',
  unknownCriterion: '此議題不設此問題。',
  missing: '請回答此問題或選擇「不知道」。',
  range: '請選擇 1 至 5，或「不知道」。',
  tooMany: '此裝置提交次數過多，請稍候一分鐘再試。',
};
const zhHans: typeof en = {
  unknownLink: '此问卷链接无效，请检查你收到的链接。',
  closedMessage: '此问卷目前未开放，感谢你的关注。',
  alreadySubmittedMessage: '此链接的问卷已经提交，谢谢。',
  answersArray: 'answers 必须是列表。',
  answerShape: '每个答案须包含问卷及议题。',
  unknownItem: '此问卷或议题不属于本问卷。',
  duplicateAnswer: '此议题被回答了两次。',
  unknownCriterion: '此议题不设此问题。',
  missing: '请回答此问题或选择“不知道”。',
  range: '请选择 1 至 5，或“不知道”。',
  tooMany: '此设备提交次数过多，请稍候一分钟再试。',
};

export const surveyLocales: LocaleBundle = { namespace: 'survey', en, 'zh-Hant': zhHant, 'zh-Hans': zhHans };
