// WeChat's growth: combined Weixin and WeChat monthly active accounts from Tencent's results.
// Dates are the last day of the period reported. Accounts, not people: users abroad count too,
// and one person may have two accounts.

export interface MauPoint {
  date: string;
  period: string;
  millions: number;
  approximate?: boolean;
}

export const WECHAT_MAU: readonly MauPoint[] = [
  { date: '2013-06-30', period: 'Q2 2013', millions: 235.8 },
  { date: '2013-12-31', period: 'end of 2013', millions: 355 },
  { date: '2014-12-31', period: 'end of 2014', millions: 500 },
  { date: '2015-06-30', period: 'Q2 2015', millions: 600, approximate: true },
  { date: '2016-06-30', period: 'Q2 2016', millions: 806 },
  { date: '2016-12-31', period: 'end of 2016', millions: 889 },
  { date: '2017-06-30', period: 'Q2 2017', millions: 963 },
  { date: '2017-09-30', period: 'Q3 2017', millions: 980 },
  { date: '2018-09-30', period: 'Q3 2018', millions: 1082 },
  { date: '2018-12-31', period: 'end of 2018', millions: 1097.6 },
  { date: '2019-12-31', period: 'end of 2019', millions: 1164.8 },
  { date: '2020-12-31', period: 'end of 2020', millions: 1225 },
  { date: '2021-12-31', period: 'end of 2021', millions: 1268.2 },
  // Reported as 1,312.9 and as 1,313.2 million in summaries of the annual results: both round to this.
  { date: '2022-12-31', period: 'end of 2022', millions: 1313, approximate: true },
  { date: '2023-06-30', period: 'Q2 2023', millions: 1327 },
  { date: '2023-12-31', period: 'end of 2023', millions: 1343 },
  { date: '2024-03-31', period: 'Q1 2024', millions: 1359 },
  { date: '2025-06-30', period: 'Q2 2025', millions: 1411 },
  { date: '2025-09-30', period: 'Q3 2025', millions: 1414 },
];

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
