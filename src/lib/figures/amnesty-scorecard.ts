// Amnesty International's Message Privacy Scorecard, 20 October 2016: eleven companies scored
// out of 100 on five criteria, encryption by default among them.

export interface ScorecardRow {
  company: string;
  apps: string;
  score: number;
  /** False where the company did not answer Amnesty's questions. */
  answered: boolean;
}

export const AMNESTY_SCORECARD: readonly ScorecardRow[] = [
  { company: 'Facebook', apps: 'Messenger, WhatsApp', score: 73, answered: true },
  { company: 'Apple', apps: 'iMessage, FaceTime', score: 67, answered: true },
  { company: 'Telegram', apps: 'Telegram', score: 67, answered: true },
  { company: 'Google', apps: 'Allo, Duo, Hangouts', score: 53, answered: false },
  { company: 'LINE', apps: 'LINE', score: 47, answered: true },
  { company: 'Viber Media', apps: 'Viber', score: 47, answered: true },
  { company: 'Kakao', apps: 'KakaoTalk', score: 40, answered: true },
  { company: 'Microsoft', apps: 'Skype', score: 40, answered: true },
  { company: 'Snapchat', apps: 'Snapchat', score: 26, answered: true },
  { company: 'BlackBerry', apps: 'BBM', score: 20, answered: false },
  { company: 'Tencent', apps: 'QQ, WeChat', score: 0, answered: false },
];

export const AMNESTY_CRITERIA = [
  'recognising online threats to users’ privacy',
  'end-to-end encryption by default',
  'telling users about the threats and the protection they have',
  'disclosing government requests for user data',
  'publishing the technical details of their encryption',
] as const;
