// Law and incidents, 2010–2025: how real-name registration and data law grew alongside the
// public controversies over what apps collect.

export type TimelineKind = 'law' | 'incident';

export interface TimelineEntry {
  date: string;
  /** How precise the date is: a day, or only a month. */
  precision: 'day' | 'month';
  kind: TimelineKind;
  title: string;
  detail: string;
}

export const LAW_TIMELINE: readonly TimelineEntry[] = [
  { date: '2010-09-01', precision: 'day', kind: 'law', title: 'ID for SIM cards', detail: 'New SIM cards require an identity document.' },
  { date: '2013-09-01', precision: 'day', kind: 'law', title: 'Real-name phone registration', detail: 'MIIT Order No. 25 requires real-identity registration of phone users.' },
  { date: '2016-10-20', precision: 'day', kind: 'incident', title: 'Amnesty scorecard', detail: 'Amnesty International scores Tencent 0 of 100 on protecting message privacy.' },
  { date: '2017-06-01', precision: 'day', kind: 'law', title: 'Cybersecurity Law', detail: 'In force; Article 24 requires real identity for network access, phone and instant messaging.' },
  { date: '2017-09-01', precision: 'month', kind: 'incident', title: 'Privacy policy row', detail: 'An updated Weixin privacy policy is reported as handing data to the government; Tencent says it does so only when legally compelled.' },
  { date: '2017-12-11', precision: 'day', kind: 'incident', title: 'Consumer council sues Baidu', detail: 'The Jiangsu Consumer Council sues Baidu over apps reading calls, messages, location and contacts without consent.' },
  { date: '2018-01-02', precision: 'day', kind: 'incident', title: '“Watching our WeChats”', detail: 'Li Shufu says Pony Ma must be watching everyone’s WeChats; WeChat replies that it stores no chat history.' },
  { date: '2018-01-03', precision: 'day', kind: 'incident', title: 'Sesame Credit apology', detail: 'Alipay’s annual summary pre-ticks enrolment in Sesame Credit; Sesame Credit apologises and drops the default.' },
  { date: '2018-03-26', precision: 'day', kind: 'incident', title: 'Robin Li on privacy', detail: 'Baidu’s CEO says Chinese users will trade privacy for convenience; the remark is widely criticised.' },
  { date: '2019-01-25', precision: 'day', kind: 'law', title: 'App collection campaign', detail: 'CAC, MIIT, MPS and SAMR begin a year-long campaign against apps collecting personal information illegally.' },
  { date: '2019-12-01', precision: 'day', kind: 'law', title: 'Face scan for SIM cards', detail: 'New SIM cards require a face scan.' },
  { date: '2020-05-07', precision: 'day', kind: 'incident', title: '“We Chat, They Watch”', detail: 'Citizen Lab finds that files shared by accounts outside China were scanned and used to build censorship inside China.' },
  { date: '2021-09-01', precision: 'day', kind: 'law', title: 'Data Security Law', detail: 'In force.' },
  { date: '2021-11-01', precision: 'day', kind: 'law', title: 'PIPL', detail: 'The Personal Information Protection Law comes into force.' },
  { date: '2021-11-03', precision: 'day', kind: 'incident', title: '38 apps named', detail: 'MIIT names 38 non-compliant apps, Tencent’s among them.' },
  { date: '2025-01-01', precision: 'day', kind: 'law', title: 'Network data rules', detail: 'The Network Data Security Management Regulations come into force.' },
  { date: '2025-07-15', precision: 'day', kind: 'law', title: 'Cyberspace ID', detail: 'A national online identity service comes into force.' },
];

export const KIND_LABELS: Record<TimelineKind, string> = { law: 'Law and regulation', incident: 'Incidents and disputes' };
