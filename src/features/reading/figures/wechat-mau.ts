// WeChat's growth: combined Weixin and WeChat monthly active accounts from Tencent's results.
// Dates are the last day of the period reported. Accounts, not people: users abroad count too,
// and one person may have two accounts.

import points from './wechat-mau.json' with { type: 'json' };

export interface MauPoint {
  date: string;
  period: string;
  millions: number;
  approximate?: boolean;
}

// The figures themselves are data (wechat-mau.json). End of 2022 is marked approximate: it is
// reported as 1,312.9 and as 1,313.2 million in summaries of the annual results, both round to 1,313.
export const WECHAT_MAU: readonly MauPoint[] = points;

export interface MauEvent {
  date: string;
  label: string;
  detail: string;
}

/** Moments in the story of the app and its users' privacy, marked on the growth curve. */
export const WECHAT_EVENTS: readonly MauEvent[] = [
  { date: '2011-01-21', label: 'Launch', detail: 'Tencent launches Weixin. It passes 100 million registered accounts in March 2012; monthly active accounts are reported from 2013.' },
  { date: '2016-10-20', label: 'Amnesty: 0/100', detail: 'Amnesty International’s message privacy scorecard gives Tencent 0 out of 100.' },
  { date: '2018-01-02', label: '“We store no chats”', detail: 'After Li Shufu says Pony Ma must be reading everyone’s WeChats, WeChat says it neither stores chat history nor analyses chats.' },
  { date: '2020-05-07', label: 'Citizen Lab', detail: 'Citizen Lab reports that files shared between accounts registered outside China were scanned to build censorship inside China.' },
  { date: '2021-11-01', label: 'PIPL', detail: 'China’s Personal Information Protection Law comes into force.' },
];
