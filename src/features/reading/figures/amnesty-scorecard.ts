// Amnesty International's Message Privacy Scorecard, 20 October 2016: eleven companies scored
// out of 100 on five criteria. Beside each total, the criterion the essays argue from: whether the
// company's apps encrypted messages end to end by default, so that the company itself could not
// read them. Amnesty published the totals and, company by company, what it found on that criterion.

/** End-to-end encryption by default in 2016: in every app, in some, only as an option, or not at all. */
export type DefaultEncryption = 'all' | 'some' | 'optional' | 'none';

export interface ScorecardRow {
  company: string;
  apps: string;
  score: number;
  /** False where the company did not answer Amnesty's questions. */
  answered: boolean;
  encryption: DefaultEncryption;
  /** Which app did what, where the company ran more than one or the answer needs a word. */
  encryptionDetail?: string;
}

export const AMNESTY_SCORECARD: readonly ScorecardRow[] = [
  { company: 'Facebook', apps: 'Messenger, WhatsApp', score: 73, answered: true, encryption: 'some', encryptionDetail: 'WhatsApp by default; Messenger only in “secret conversations”' },
  { company: 'Apple', apps: 'iMessage, FaceTime', score: 67, answered: true, encryption: 'all' },
  { company: 'Telegram', apps: 'Telegram', score: 67, answered: true, encryption: 'optional', encryptionDetail: 'only in “secret chats”' },
  { company: 'Google', apps: 'Allo, Duo, Hangouts', score: 53, answered: false, encryption: 'some', encryptionDetail: 'Duo by default; Allo as an option; Hangouts not at all' },
  { company: 'LINE', apps: 'LINE', score: 47, answered: true, encryption: 'all' },
  { company: 'Viber Media', apps: 'Viber', score: 47, answered: true, encryption: 'all' },
  { company: 'Kakao', apps: 'KakaoTalk', score: 40, answered: true, encryption: 'optional' },
  { company: 'Microsoft', apps: 'Skype', score: 40, answered: true, encryption: 'none' },
  { company: 'Snapchat', apps: 'Snapchat', score: 26, answered: true, encryption: 'none' },
  { company: 'BlackBerry', apps: 'BBM', score: 20, answered: false, encryption: 'none' },
  { company: 'Tencent', apps: 'QQ, WeChat', score: 0, answered: false, encryption: 'none' },
];

export const AMNESTY_CRITERIA = [
  'recognising online threats to users’ privacy and freedom of expression',
  'end-to-end encryption by default',
  'telling users about the threats and the protection they have',
  'disclosing government requests for user data',
  'publishing the technical details of their encryption',
] as const;

export const ENCRYPTION_LABELS: Record<DefaultEncryption, string> = {
  all: 'yes, in every app',
  some: 'in some apps',
  optional: 'only if the user turns it on',
  none: 'no',
};

/** A total of zero out of 100 can only be zero on every one of the five criteria. */
export function zeroOnEveryCriterion(row: ScorecardRow): boolean {
  return row.score === 0;
}
